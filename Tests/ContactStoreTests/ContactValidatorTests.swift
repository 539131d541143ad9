import Testing

@testable import ContactStore

/// The checks of `info` values that need no database.
@Suite struct ContactValidatorTests {
    @Test func anEmailIsPlausibleWithAnAtThatHasSomethingOnBothSidesAndNoSpaceOrNewline() {
        let cases: [(String, Bool)] = [
            ("ada@example.com", true), ("a@b", true), ("a@b@c", true), ("first.last+tag@sub.example.org", true),
            ("@example.com", false), ("ada@", false), ("ada", false), ("", false),
            ("ada lovelace@example.com", false), ("ada@example.com\n", false), ("ada@exa\r\nmple.com", false),
            ("ada@exa\u{0B}mple.com", false), ("ada@exa\u{0C}mple.com", false), ("ada@example.com\t", true),
            // Not ASCII: read as characters.
            ("ädä@example.com", true), ("ada@exämple.com", true), ("ada@exa\u{2028}mple.com", false),
            ("ada@exa\u{85}mple.com", false), ("ada@exa\u{3000}mple.com", true), ("é@", false),
        ]
        for (text, plausible) in cases {
            #expect(ContactValidator.isPlausibleEmail(text) == plausible, "\(text.debugDescription)")
        }
    }
}
