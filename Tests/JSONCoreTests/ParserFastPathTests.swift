@testable import JSONCore
import Testing

/// The parser's shortcuts (strings scanned a word at a time, common strings handed out
/// ready-made, integers read without a string, an object's members picked without building it)
/// give exactly what the plain path gives, wherever the text puts them.
@Suite struct ParserFastPathTests {
    /// Strings of every length around the two-word limit, listed or not, spelled plainly or with
    /// an escape, as member names and as values, at the end of the text (where fewer than 17
    /// bytes follow) and far from it.
    @Test func shortStringsParseTheSameWhereverTheyStand() throws {
        let names = [
            "id", "jsonrpc", "contactId", "allowDuplicates", "formattedPhone", "i", "ids", "identifier",
            "sixteen-bytes-ab", "seventeen-bytes-a", "addressLine1", "addressLine12", "", "é", "idé", "名前",
            "contactIdentifier", "2.0", "2.00", "contacts.get", "contacts.gets", "MOBILE",
        ]
        for name in names {
            let spellings = [name, escapedFirstCharacter(of: name)]
            for spelled in spellings {
                for padding in [0, 1, 8, 16, 40] {
                    let tail = String(repeating: " ", count: padding)
                    let text = "{\"\(spelled)\":1\(tail)}"
                    let value = try JSONValue.parse(text)
                    #expect(value.objectValue?.keys == [name], "\(spelled) with \(padding) bytes after")
                    let early = try JSONValue.parse(
                        "{\"\(spelled)\":1,\"later\":\"\(String(repeating: "x", count: padding))\"}")
                    #expect(early.objectValue?.keys == [name, "later"])
                    let asValue = try JSONValue.parse("[\"\(spelled)\"\(tail)]")
                    #expect(asValue == .array([.string(name)]), "\(spelled) as a value")
                }
            }
        }
    }

    /// A listed string followed by bytes that may not stand in a string is still rejected: a raw
    /// NUL (which pads like nothing), a control character, a lone backslash.
    @Test func invalidBytesAfterAListedStringAreRejected() {
        for bad in ["id\u{00}", "id\u{01}", "jsonrpc\u{1F}", "params\\", "method\\q", "2.0\u{00}"] {
            for padding in [0, 20] {
                let tail = String(repeating: " ", count: padding)
                #expect(throws: JSONParseError.self, "\(bad.debugDescription)") {
                    try JSONValue.parse("{\"\(bad)\":1\(tail)}")
                }
                #expect(throws: JSONParseError.self, "\(bad.debugDescription)") {
                    try JSONValue.parse("[\"\(bad)\"\(tail)]")
                }
            }
        }
    }

    @Test func commonStringsAreHandedOutAsSpelled() throws {
        for name in [
            "jsonrpc", "id", "method", "params", "contactId", "revision", "info", "name", "first",
            "emails", "items", "tag", "phones", "company", "jobTitle", "extendedFields", "allowDuplicates",
            "2.0", "contacts.get", "contacts.update", "MOBILE", "WORK",
        ] {
            let value = try JSONValue.parse("{\"\(name)\":\"\(name)\",\"after\":\"padding padding padding\"}")
            #expect(value.objectValue?.keys.first == name)
            #expect(value[name]?.stringValue == name)
        }
    }

    /// Integers are read digit by digit up to 18 characters (a minus included); longer ones
    /// become doubles, as before.
    @Test func integersAtTheEdgeOfTheShortcut() throws {
        let cases: [(String, JSONValue)] = [
            ("0", .int(0)), ("-0", .int(0)), ("7", .int(7)), ("-7", .int(-7)),
            ("123456789012345678", .int(123_456_789_012_345_678)),
            ("-12345678901234567", .int(-12_345_678_901_234_567)),
            ("-123456789012345678", .double(-123_456_789_012_345_678)),
            ("1234567890123456789", .double(1_234_567_890_123_456_789)),
            ("12.5", .double(12.5)), ("1e3", .double(1000)),
        ]
        for (text, expected) in cases {
            #expect(try JSONValue.parse(text) == expected, "\(text)")
            #expect(try JSONValue.parse("[\(text)]") == .array([expected]), "[\(text)]")
        }
    }

    /// Strings are stepped over a word at a time: a quote, a backslash, a control character,
    /// a non-ASCII character or invalid UTF-8 at every offset in and around a word.
    @Test func stringsWithSpecialBytesAtEveryOffset() throws {
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 31] {
            for offset in 0...length {
                let prefix = String(repeating: "a", count: offset)
                let suffix = String(repeating: "b", count: length - offset)
                let specials = [("é", "é"), ("ሴ", "ሴ"), ("😀", "😀"), (#"\n"#, "\n"), (#"\""#, "\""), (#"\u0041"#, "A")]
                for (written, meant) in specials {
                    let text = "\"" + prefix + written + suffix + "\""
                    let expected = prefix + meant + suffix
                    #expect(try JSONValue.parse(text).stringValue == expected, "\(text)")
                    #expect(try JSONValue.parse(text + "  ").stringValue == expected)
                    #expect(try JSONValue.parse("[" + text + "]") == .array([.string(expected)]))
                }
                for raw: UInt8 in [0x00, 0x0A, 0x1F] {
                    let bytes = Array(("\"" + prefix).utf8) + [raw] + Array((suffix + "\"").utf8)
                    #expect(throws: JSONParseError.self) { try JSONValue.parse(bytes) }
                }
                for invalid: [UInt8] in [[0xFF], [0xC3], [0xE1, 0x88], [0xED, 0xA0, 0x80]] {
                    let bytes = Array(("\"" + prefix).utf8) + invalid + Array((suffix + "\"").utf8)
                    #expect(throws: JSONParseError.self) { try JSONValue.parse(bytes) }
                }
                let quoted = try JSONValue.parse("\"" + prefix + "\"" + String(repeating: " ", count: length - offset))
                #expect(quoted.stringValue == prefix)
            }
        }
    }

    /// Picking members gives the values a whole parse gives, by index; repeated names are handed
    /// over each time, in order; other values come back whole; the text is checked all the same.
    @Test func pickingMembersMatchesAWholeParse() throws {
        let names = JSONMemberNames(["jsonrpc", "id", "method", "params"])
        let lines = [
            #"{"jsonrpc":"2.0","id":7,"method":"contacts.get","params":{"contactId":"c-1"}}"#,
            #"{"method": "contacts.get", "params": {"contactId": "c-1"}, "jsonrpc": "2.0", "id": 7}"#,
            #"{"id":1,"other":{"id":2,"method":"x"},"id":3,"\u0069d":4}"#,
            #" {"params":[1,2],"extra":"long enough to follow every name here"} "#,
            #"{}"#,
        ]
        for line in lines {
            var picked: [(Int, JSONValue)] = []
            let bytes = Array(line.utf8)
            let whole = try bytes.withUnsafeBufferPointer { buffer in
                try JSONValue.parse(buffer, picking: names) { picked.append(($0, $1)) }
            }
            #expect(whole == nil)
            let expected = try JSONValue.parse(line).objectValue!.members.filter {
                ["jsonrpc", "id", "method", "params"].contains($0.key)
            }
            let pickedNames = picked.map { ["jsonrpc", "id", "method", "params"][$0.0] }
            // JSONObject keeps one member per name (the last value); picking hands each over.
            #expect(Set(pickedNames) == Set(expected.map(\.key)), "\(line)")
            for (key, value) in expected {
                let last = picked.last { ["jsonrpc", "id", "method", "params"][$0.0] == key }
                #expect(last?.1 == value, "\(key) in \(line)")
            }
        }
        #expect(try pick(#"{"id":1,"id":2,"\u0069d":3}"#, names).map(\.1) == [1, 2, 3])
        #expect(try wholeValue(#"[{"id":1}]"#, names) == [["id": 1]])
        #expect(try wholeValue(#" "text" "#, names) == "text")
        for invalid in [#"{"id":1"#, #"{"id":1} x"#, #"{"id" 1}"#, #"{"id":}"#, #"{"id":1,}"#, #"{id:1}"#] {
            #expect(throws: JSONParseError.self, "\(invalid)") { try pick(invalid, names) }
        }
    }

    /// Objects made at random (a fixed seed) from names and values that stress the shortcuts:
    /// listed strings, near misses, escapes, non-ASCII, lengths around 8 and 16 bytes, any
    /// spacing. Each text parses to the value it was written from, and picking finds the same
    /// members as the whole parse.
    @Test func randomObjectsParseToWhatTheySay() throws {
        var random = Draws(state: 26)
        let strings = [
            "id", "jsonrpc", "method", "params", "contactId", "2.0", "MOBILE", "contacts.get", "allowDuplicates",
            "i", "ids", "2.00", "contacts.gett", "allowDuplicatesX", "eight-by", "sixteen-bytes-ab", "é", "idé",
            "名前", "a\"b", "tab\there", "", "x",
        ]
        let names = JSONMemberNames(["jsonrpc", "id", "method", "params"])
        for _ in 0..<400 {
            var expected: [(String, JSONValue)] = []
            var text = "{"
            for index in 0..<random.below(6) {
                let name = strings[random.below(strings.count)]
                let value: JSONValue =
                    switch random.below(4) {
                    case 0: .string(strings[random.below(strings.count)])
                    // At most 17 digits and a sign: read by the integer shortcut.
                    case 1:
                        .int(
                            ((random.below(100_000_000) * random.below(1_000_000_000)) >> random.below(50))
                                * (random.below(2) == 0 ? 1 : -1))
                    case 2: .bool(random.below(2) == 0)
                    default: .array([.string(strings[random.below(strings.count)]), .null])
                    }
                expected.removeAll { $0.0 == name }
                expected.append((name, value))
                let space = String(repeating: " ", count: random.below(3))
                text += (index > 0 ? "," : "") + space + written(name, escaping: random.below(3) == 0) + space + ":"
                text += space + written(value, escaping: random.below(3) == 0) + space
            }
            text += "}" + String(repeating: " ", count: random.below(20))
            let parsed = try JSONValue.parse(text)
            #expect(parsed == .object(JSONObject(expected.map { (key: $0.0, value: $0.1) })), "\(text)")
            var picked: [Int: JSONValue] = [:]
            let whole = try Array(text.utf8).withUnsafeBufferPointer { buffer in
                try JSONValue.parse(buffer, picking: names) { picked[$0] = $1 }
            }
            #expect(whole == nil)
            for (index, name) in ["jsonrpc", "id", "method", "params"].enumerated() {
                #expect(picked[index] == parsed[name], "\(name) in \(text)")
            }
        }
    }

    /// `value` as JSON text; with `escaping`, its strings' first characters written as `\u`
    /// escapes.
    private func written(_ value: JSONValue, escaping: Bool) -> String {
        switch value {
        case .string(let string): written(string, escaping: escaping)
        case .array(let items): "[" + items.map { written($0, escaping: escaping) }.joined(separator: ",") + "]"
        default: value.serializedString()
        }
    }

    private func written(_ string: String, escaping: Bool) -> String {
        let plain = JSONValue.string(string).serializedString()
        guard escaping, !string.isEmpty, !plain.dropFirst().hasPrefix("\\") else { return plain }
        return "\"" + escapedFirstCharacter(of: String(plain.dropFirst().dropLast())) + "\""
    }

    private func pick(_ text: String, _ names: JSONMemberNames) throws -> [(Int, JSONValue)] {
        var picked: [(Int, JSONValue)] = []
        _ = try Array(text.utf8).withUnsafeBufferPointer { buffer in
            try JSONValue.parse(buffer, picking: names) { picked.append(($0, $1)) }
        }
        return picked
    }

    private func wholeValue(_ text: String, _ names: JSONMemberNames) throws -> JSONValue? {
        try Array(text.utf8).withUnsafeBufferPointer { buffer in
            try JSONValue.parse(buffer, picking: names) { _, _ in Issue.record("nothing to pick in \(text)") }
        }
    }

    /// The name with its first character written as a `\u` escape.
    private func escapedFirstCharacter(of name: String) -> String {
        guard let first = name.unicodeScalars.first, first.value < 0x10000 else { return name }
        let hex = String(first.value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex + String(name.unicodeScalars.dropFirst())
    }
}

/// Numbers from a linear congruential sequence (Knuth's MMIX constants, its high bits), so that
/// a failure can be replayed.
private struct Draws {
    var state: UInt64

    /// A number in `0..<bound`.
    mutating func below(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
}
