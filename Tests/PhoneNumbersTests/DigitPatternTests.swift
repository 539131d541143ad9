@testable import PhoneNumbers
import Testing

/// The regex-subset matcher must agree with Python's `re` on the constructs metadata uses.
@Suite("DigitPattern")
struct DigitPatternTests {
    private func digits(_ text: String) -> [UInt8] {
        text.compactMap { $0.wholeNumberValue.map(UInt8.init) }
    }

    @Test("whole matches with classes, groups, alternatives and counted repetition")
    func wholeMatch() throws {
        let pattern = try DigitPattern(#"1\d{6}(?:\d{3,5})?|[57]\d{8}|[1-489]\d{7}"#)
        #expect(pattern.matchesWhole(digits("97495550")))
        #expect(pattern.matchesWhole(digits("502345678")))
        #expect(pattern.matchesWhole(digits("1234567890")))
        #expect(pattern.matchesWhole(digits("12345678")))
        #expect(!pattern.matchesWhole(digits("6123456")))
        #expect(!pattern.matchesWhole(digits("12345678901234")))
    }

    @Test("prefix matches report captures in Python's priority order")
    func prefixCaptures() throws {
        // CX national prefix for parsing: the first alternative wins only at the end of input.
        let pattern = try DigitPattern(#"([59]\d{7})$|0"#)
        let whole = try #require(pattern.matchPrefix(digits("91234567")))
        #expect(whole.end == 8 && whole.groups == [0..<8])
        let trunk = try #require(pattern.matchPrefix(digits("0891234567")))
        #expect(trunk.end == 1 && trunk.groups == [nil])
        #expect(pattern.matchPrefix(digits("12")) == nil)
    }

    @Test("re.sub-style formatting")
    func replaceAll() throws {
        let pattern = try DigitPattern(#"(\d{3})(\d{3})(\d{4})"#)
        #expect(pattern.replaceAll(in: digits("6465676359"), with: #"\1-\2-\3"#) == "646-567-6359")
        let optional = try DigitPattern(#"(\d{2})(\d{2,3})?"#)
        #expect(optional.replaceAll(in: digits("12345"), with: #"\1 \2"#) == "12 345")
    }

    @Test("syntax outside the subset is rejected", arguments: [#"\w"#, "a", "(?=1)", "[^1]", "(1", "1)", "1{3,2}"])
    func rejects(source: String) {
        #expect(throws: DigitPatternError.self) { try DigitPattern(source) }
    }

    @Test("every generated metadata pattern compiles")
    func generatedPatternsCompile() {
        #expect(MetadataStore.compileFailures.map(\.description) == [])
        // Every supported region compiles, and compiled once is kept.
        for id in PhoneNumberResolver.supportedRegions {
            let region = MetadataStore.region(id)
            #expect(region?.id == id)
            #expect(MetadataStore.region(id)?.countryCode == region?.countryCode)
        }
        #expect(MetadataStore.region("XX") == nil)
    }
}
