/// A compiled regular expression over ASCII digit strings, covering exactly the regex subset
/// libphonenumber metadata uses: digits, `\d`, `[0-9]` classes with ranges, `(...)`, `(?:...)`,
/// `|`, `?`, `*`, `+`, `{n}`, `{n,m}`, `{n,}` and the `$` end anchor.
///
/// Why not Swift `Regex`: it is not `Sendable`, is slow to compile on Linux, and needs a lock to
/// cache safely. This matcher is a plain value type, so compiled tables can live in `static let`s
/// and be shared across threads under Swift 6 strict concurrency. It backtracks in the same
/// priority order as Python's `re` (leftmost alternative first, greedy quantifiers), so captures
/// and prefix matches agree with libphonenumber; a visited set bounds the work to
/// O(program size × input length).
struct DigitPattern: Sendable, Hashable {
    /// One instruction of the backtracking program.
    enum Instruction: Sendable, Hashable {
        /// Consume one digit whose bit is set in the mask (bit n = digit n).
        case digit(mask: UInt16)
        /// Try `preferred` first, fall back to `alternative`.
        case split(preferred: Int, alternative: Int)
        case jump(Int)
        /// Record the current position into a capture slot (2k = start, 2k+1 = end of group k).
        case save(slot: Int)
        /// Succeed only at the end of the input (`$`).
        case assertEnd
        case match
    }

    /// The result of a successful match: its end offset and the capture ranges (nil if unset).
    struct Match {
        let end: Int
        let groups: [Range<Int>?]
    }

    let source: String
    let program: [Instruction]
    let groupCount: Int

    /// Compiles `source`; throws `DigitPatternError` for syntax outside the supported subset.
    init(_ source: String) throws(DigitPatternError) {
        var compiler = DigitPatternCompiler(source: source)
        let (program, groups) = try compiler.compile()
        self.source = source
        self.program = program
        self.groupCount = groups
    }

    /// Whether the whole of `digits` matches (Python `fullmatch`).
    func matchesWhole(_ digits: [UInt8]) -> Bool {
        run(digits, requireFullMatch: true) != nil
    }

    /// Matches a prefix of `digits` (Python `re.match`): the first match in priority order.
    func matchPrefix(_ digits: [UInt8]) -> Match? {
        run(digits, requireFullMatch: false)
    }

    /// Matches the whole input and returns its captures.
    func matchWhole(_ digits: [UInt8]) -> Match? {
        run(digits, requireFullMatch: true)
    }

    private struct Thread {
        var pc: Int
        var position: Int
        var slots: [Int]
    }

    private func run(_ input: [UInt8], requireFullMatch: Bool) -> Match? {
        let width = input.count + 1
        // A (pc, position) state that already failed once fails again: the outcome does not depend
        // on captures because the subset has no back-references.
        var visited = [Bool](repeating: false, count: program.count * width)
        var stack = [Thread(pc: 0, position: 0, slots: [Int](repeating: -1, count: groupCount * 2))]
        while var thread = stack.popLast() {
            while true {
                let key = thread.pc * width + thread.position
                if visited[key] { break }
                visited[key] = true
                switch program[thread.pc] {
                case .digit(let mask):
                    guard thread.position < input.count,
                        mask & (1 << UInt16(input[thread.position])) != 0
                    else { break }
                    thread.position += 1
                    thread.pc += 1
                    continue
                case .split(let preferred, let alternative):
                    stack.append(Thread(pc: alternative, position: thread.position, slots: thread.slots))
                    thread.pc = preferred
                    continue
                case .jump(let target):
                    thread.pc = target
                    continue
                case .save(let slot):
                    thread.slots[slot] = thread.position
                    thread.pc += 1
                    continue
                case .assertEnd:
                    guard thread.position == input.count else { break }
                    thread.pc += 1
                    continue
                case .match:
                    if requireFullMatch && thread.position != input.count { break }
                    return Match(end: thread.position, groups: groups(from: thread.slots))
                }
                break
            }
        }
        return nil
    }

    private func groups(from slots: [Int]) -> [Range<Int>?] {
        (0..<groupCount).map { group in
            let start = slots[2 * group], end = slots[2 * group + 1]
            return start >= 0 && end >= start ? start..<end : nil
        }
    }

    /// Python `re.sub(pattern, template, digits)`: replaces every non-overlapping match, scanning
    /// left to right; `\N` in the template inserts group N (empty when the group did not take part).
    func replaceAll(in digits: [UInt8], with template: String, count limit: Int = .max) -> String {
        var output = ""
        var position = 0
        var replaced = 0
        while position <= digits.count {
            if replaced < limit, let found = matchPrefix(Array(digits[position...])), found.end > 0 {
                output += Self.expand(template, groups: found.groups, in: Array(digits[position...]))
                position += found.end
                replaced += 1
                continue
            }
            if position < digits.count { output.append(Character(String(digits[position]))) }
            position += 1
        }
        return output
    }

    /// Expands `\1`…`\9` references in a libphonenumber format template.
    static func expand(_ template: String, groups: [Range<Int>?], in digits: [UInt8]) -> String {
        var output = ""
        var iterator = template.makeIterator()
        while let character = iterator.next() {
            guard character == "\\" else { output.append(character); continue }
            guard let next = iterator.next() else { output.append(character); break }
            guard let index = next.wholeNumberValue, index >= 1 else { output.append(next); continue }
            if index <= groups.count, let range = groups[index - 1] {
                output += digits[range].map { String($0) }.joined()
            }
        }
        return output
    }
}

/// A pattern that uses regex syntax outside the subset `DigitPattern` supports.
struct DigitPatternError: Error, Sendable, CustomStringConvertible {
    let pattern: String
    let offset: Int
    let reason: String

    var description: String { "unsupported pattern \(pattern) at \(offset): \(reason)" }
}
