/// Parses the libphonenumber regex subset into an AST and emits a `DigitPattern` program.
struct DigitPatternCompiler {
    /// Parsed regex, before code generation.
    indirect enum Node {
        case digit(mask: UInt16)
        case endAnchor
        /// Alternatives of sequences; `capture` is the group index for capturing groups.
        case group(capture: Int?, alternatives: [[Node]])
        case repetition(Node, min: Int, max: Int?)
    }

    private let characters: [Character]
    private let source: String
    private var offset = 0
    private var groupCount = 0
    private var program: [DigitPattern.Instruction] = []

    init(source: String) {
        self.source = source
        self.characters = Array(source)
    }

    /// Returns the program and the number of capturing groups.
    mutating func compile() throws(DigitPatternError) -> ([DigitPattern.Instruction], Int) {
        let alternatives = try parseAlternatives()
        guard offset == characters.count else { throw failure("unbalanced ')'") }
        emit(.group(capture: nil, alternatives: alternatives))
        program.append(.match)
        return (program, groupCount)
    }

    // MARK: - Parsing

    private func failure(_ reason: String) -> DigitPatternError {
        DigitPatternError(pattern: source, offset: offset, reason: reason)
    }

    private var current: Character? { offset < characters.count ? characters[offset] : nil }

    private mutating func parseAlternatives() throws(DigitPatternError) -> [[Node]] {
        var alternatives: [[Node]] = [try parseSequence()]
        while current == "|" {
            offset += 1
            alternatives.append(try parseSequence())
        }
        return alternatives
    }

    private mutating func parseSequence() throws(DigitPatternError) -> [Node] {
        var nodes: [Node] = []
        while let character = current, character != "|", character != ")" {
            let atom = try parseAtom()
            nodes.append(try parseQuantifier(on: atom))
        }
        return nodes
    }

    private mutating func parseAtom() throws(DigitPatternError) -> Node {
        guard let character = current else { throw failure("unexpected end") }
        offset += 1
        switch character {
        case "0"..."9":
            return .digit(mask: 1 << UInt16(character.wholeNumberValue!))
        case "\\":
            guard current == "d" else { throw failure("only \\d escapes are supported") }
            offset += 1
            return .digit(mask: 0x3FF)
        case "$":
            return .endAnchor
        case "[":
            return .digit(mask: try parseClass())
        case "(":
            var capture: Int? = nil
            if current == "?" {
                guard offset + 1 < characters.count, characters[offset + 1] == ":" else {
                    throw failure("only (?: groups are supported")
                }
                offset += 2
            } else {
                capture = groupCount
                groupCount += 1
            }
            let alternatives = try parseAlternatives()
            guard current == ")" else { throw failure("missing ')'") }
            offset += 1
            return .group(capture: capture, alternatives: alternatives)
        default:
            offset -= 1
            throw failure("unexpected '\(character)'")
        }
    }

    /// Parses `[...]` (the opening bracket already consumed) into a digit mask.
    private mutating func parseClass() throws(DigitPatternError) -> UInt16 {
        var mask: UInt16 = 0
        while let character = current, character != "]" {
            offset += 1
            if character == "\\" {
                guard current == "d" else { throw failure("only \\d escapes are supported") }
                offset += 1
                mask |= 0x3FF
                continue
            }
            guard let low = character.wholeNumberValue, character.isASCII else {
                throw failure("non-digit in character class")
            }
            var high = low
            if current == "-", offset + 1 < characters.count, characters[offset + 1] != "]" {
                guard let upper = characters[offset + 1].wholeNumberValue, upper >= low else {
                    throw failure("bad range")
                }
                high = upper
                offset += 2
            }
            for digit in low...high { mask |= 1 << UInt16(digit) }
        }
        guard current == "]" else { throw failure("missing ']'") }
        offset += 1
        return mask
    }

    private mutating func parseQuantifier(on atom: Node) throws(DigitPatternError) -> Node {
        switch current {
        case "?": offset += 1; return .repetition(atom, min: 0, max: 1)
        case "*": offset += 1; return .repetition(atom, min: 0, max: nil)
        case "+": offset += 1; return .repetition(atom, min: 1, max: nil)
        case "{":
            offset += 1
            let low = readNumber()
            var high: Int? = low
            if current == "," {
                offset += 1
                high = current == "}" ? nil : readNumber()
            }
            guard let low, current == "}" else { throw failure("bad {n,m} quantifier") }
            offset += 1
            if let high, high < low { throw failure("bad {n,m} bounds") }
            return .repetition(atom, min: low, max: high)
        default:
            return atom
        }
    }

    private mutating func readNumber() -> Int? {
        var value: Int? = nil
        while let character = current, character.isASCII, let digit = character.wholeNumberValue {
            value = (value ?? 0) * 10 + digit
            offset += 1
        }
        return value
    }

    // MARK: - Code generation

    private mutating func emit(_ node: Node) {
        switch node {
        case .digit(let mask):
            program.append(.digit(mask: mask))
        case .endAnchor:
            program.append(.assertEnd)
        case .group(let capture, let alternatives):
            if let capture { program.append(.save(slot: 2 * capture)) }
            emitAlternatives(alternatives)
            if let capture { program.append(.save(slot: 2 * capture + 1)) }
        case .repetition(let inner, let min, let max):
            for _ in 0..<min { emit(inner) }
            if let max {
                // Nested greedy optionals: each extra copy is tried before giving up.
                var exits: [Int] = []
                for _ in min..<max {
                    exits.append(program.count)
                    program.append(.split(preferred: program.count + 1, alternative: -1))
                    emit(inner)
                }
                for index in exits { program[index] = .split(preferred: index + 1, alternative: program.count) }
            } else {
                let loop = program.count
                program.append(.split(preferred: loop + 1, alternative: -1))
                emit(inner)
                program.append(.jump(loop))
                program[loop] = .split(preferred: loop + 1, alternative: program.count)
            }
        }
    }

    private mutating func emitAlternatives(_ alternatives: [[Node]]) {
        var jumpsToEnd: [Int] = []
        for (index, sequence) in alternatives.enumerated() {
            let isLast = index == alternatives.count - 1
            let split = program.count
            if !isLast { program.append(.split(preferred: split + 1, alternative: -1)) }
            for node in sequence { emit(node) }
            if !isLast {
                jumpsToEnd.append(program.count)
                program.append(.jump(-1))
                program[split] = .split(preferred: split + 1, alternative: program.count)
            }
        }
        for index in jumpsToEnd { program[index] = .jump(program.count) }
    }
}
