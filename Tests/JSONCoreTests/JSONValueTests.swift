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
