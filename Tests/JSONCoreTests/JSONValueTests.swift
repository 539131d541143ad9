import JSONCore
import Testing

@Suite struct JSONValueTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue.parse(#" {"a": [1, -2.5, 3e2, true, false, null], "b": "x\ny", "c": {}} "#)
        #expect(value["a"] == [1, -2.5, 300, true, false, nil])
        #expect(value["b"]?.stringValue == "x\ny")
        #expect(value["c"] == .object(JSONObject()))
    }

    @Test func keepsIntegersExactAndMemberOrder() throws {
        let value = try JSONValue.parse(#"{"z":9007199254740993,"a":1}"#)
        #expect(value["z"] == .int(9_007_199_254_740_993))
        #expect(value.objectValue?.keys == ["z", "a"])
        #expect(value.serializedString() == #"{"z":9007199254740993,"a":1}"#)
    }

    @Test func duplicateKeysKeepTheLastValue() throws {
        let value = try JSONValue.parse(#"{"a":1,"a":2}"#)
        #expect(value.objectValue?.count == 1)
        #expect(value["a"] == 2)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":}", "01", "1.", "tru", "\"abc", "[1] x", "{\"a\" 1}", "\"\\x\"",
        "\"\\ud800\"", "\u{01}", "nul", "-", "[", "\"a\u{0A}b\"",
    ])
    func rejectsInvalidJSON(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func rejectsNestingDeeperThanTheLimit() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? JSONValue.parse(ok)) != nil)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONValue.parse(#""\u00e9\ud83d\ude00\t\"\\\/""#)
        #expect(value.stringValue == "é😀\t\"\\/")
    }

    @Test func writesLineSeparatorsAndControlCharactersEscaped() {
        let value = JSONValue.string("a\u{2028}b\u{2029}c\n\u{01}\"é")
        #expect(value.serializedString() == #""a\u2028b\u2029c\n\u0001\"é""#)
        #expect(!value.serialized().contains(0x0A))
    }

    /// The writer skips eight clean bytes at a time: every character that needs escaping, and
    /// the bytes next to those that don't (0x1F/0x20, 0x21/0x23, 0x5B/0x5D, 0xE1/0xE3, 0x7F,
    /// 0x80), at every offset in and around a word, in long and short strings.
    @Test func escapesAtEveryOffsetOfTheWordScan() throws {
        let specials: [(String, String)] = [
            ("\"", #"\""#), ("\\", #"\\"#), ("\n", #"\n"#), ("\r", #"\r"#), ("\t", #"\t"#),
            ("\u{00}", #"\u0000"#), ("\u{1F}", #"\u001f"#), ("\u{2028}", #"\u2028"#), ("\u{2029}", #"\u2029"#),
            (" ", " "), ("!", "!"), ("#", "#"), ("[", "["), ("]", "]"), ("\u{7F}", "\u{7F}"),
            ("\u{80}", "\u{80}"), ("\u{2027}", "\u{2027}"), ("ሴ", "ሴ"), ("\u{1000}", "\u{1000}"), ("é", "é"),
        ]
        for (character, escaped) in specials {
            for length in [0, 1, 7, 8, 9, 15, 16, 17, 31] {
                for offset in 0...length {
                    let prefix = String(repeating: "a", count: offset)
                    let suffix = String(repeating: "b", count: length - offset)
                    let written = JSONValue.string(prefix + character + suffix).serializedString()
                    #expect(written == "\"" + prefix + escaped + suffix + "\"", "\(escaped) at \(offset) of \(length)")
                    #expect(try JSONValue.parse(written).stringValue == prefix + character + suffix)
                }
            }
        }
    }

    @Test func roundTripsThroughText() throws {
        let original: JSONValue = ["id": "x", "n": [1, 2.5, nil], "s": ["t": true]]
        #expect(try JSONValue.parse(original.serialized()) == original)
    }

    @Test func splicesRawFragmentsVerbatim() throws {
        let raw = RawJSON(trusted: Array(#"{"id":"c1","revision":3}"#.utf8))
        let value: JSONValue = ["contact": .raw(raw)]
        #expect(value.serializedString() == #"{"contact":{"id":"c1","revision":3}}"#)
        #expect(value == ["contact": ["revision": 3, "id": "c1"]])
    }

    @Test func objectEqualityIgnoresMemberOrder() throws {
        #expect(try JSONValue.parse(#"{"a":1,"b":2}"#) == JSONValue.parse(#"{"b":2,"a":1.0}"#))
    }
}

@Suite struct JSONIntegerWritingTests {
    @Test func integersAreWrittenAsStringSpellsThem() {
        var values = [0, 1, 9, 10, 11, 99, 100, 12_345, -1, -9, -10, -12_345, Int.max, Int.min, Int.max - 1, Int.min + 1]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1_000 { values.append(Int.random(in: Int.min...Int.max, using: &generator) >> Int.random(in: 0..<63)) }
        for value in values {
            var output: [UInt8] = [UInt8(ascii: "x")]
            JSONValue.writeInteger(value, to: &output)
            #expect(output == Array("x\(value)".utf8), "\(value)")
        }
    }
}
