/// A few member names a reader looks for in an object (``JSONValue/parse(_:picking:_:)``),
/// each of 1 to 16 bytes of plain ASCII, compared with the text without making strings of it.
public struct JSONMemberNames: Sendable {
    let words: [(UInt64, UInt64)]
    let counts: [Int]

    /// Names of 1 to 16 printable ASCII characters, neither `"` nor `\`.
    public init(_ names: [String]) {
        words = names.map { name in
            let bytes = Array(name.utf8)
            precondition(
                (1...16).contains(bytes.count)
                    && bytes.allSatisfy { (0x20..<0x7F).contains($0) && $0 != 0x22 && $0 != 0x5C },
                "\(name) cannot be picked")
            return ByteWords.padded(bytes)
        }
        counts = names.map(\.utf8.count)
    }

    /// The index of the name that `words` spell in `count` bytes, if any.
    @inline(__always)
    func index(of words: (UInt64, UInt64), count: Int) -> Int? {
        for index in self.words.indices where counts[index] == count && self.words[index] == words {
            return index
        }
        return nil
    }
}

extension JSONValue {
    /// Parses exactly one JSON value, as `parse(_:)` does; when it is an
    /// object, hands each member named in `names` to `member` (with the name's index) as it is
    /// parsed, skips the others, and returns `nil` instead of building the object. Any other value
    /// is returned whole.
    ///
    /// A name repeated in the object is handed over each time, in order, so the caller keeps the
    /// last value as ``JSONObject`` would. A name written with escapes (`"\u0069d"`) is still that
    /// name. The whole text is checked as `parse` checks it: `member` may have been called before
    /// an error is thrown.
    public static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, picking names: JSONMemberNames, _ member: (Int, JSONValue) -> Void
    ) throws(JSONParseError) -> JSONValue? {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        let whole: JSONValue?
        if parser.index < bytes.count, bytes[parser.index] == UInt8(ascii: "{") {
            try parser.pickMembers(names, member)
            whole = nil
        } else {
            whole = try parser.parseValue(depth: 0)
        }
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("unexpected data after the value") }
        return whole
    }
}

extension JSONParser {
    /// Parses the object at `index` (depth 1), handing the members named in `names` to `member`.
    mutating func pickMembers(_ names: JSONMemberNames, _ member: (Int, JSONValue) -> Void) throws(JSONParseError) {
        try parseMembers(depth: 1, name: { parser throws(JSONParseError) in try parser.pickedName(names) }) {
            picked, value in
            if let picked { member(picked, value) }
        }
    }

    /// Reads the member name at `index` and returns its index in `names`, if it is one of them.
    private mutating func pickedName(_ names: JSONMemberNames) throws(JSONParseError) -> Int? {
        if let short = peekShortString(), let found = names.index(of: short.words, count: short.count) {
            index += short.count + 2
            return found
        }
        let name = try parseCommonOrString()
        // Rare: a name with escapes that spells a picked one.
        guard name.utf8.count <= 16 else { return nil }
        return names.index(of: ByteWords.padded(name.utf8), count: name.utf8.count)
    }
}
