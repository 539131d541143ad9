/// Well-formedness of BCP 47 language tags (RFC 5646 §2.1), without a registry lookup.
enum LanguageTag {
    /// Whether `tag` is a well-formed language tag, such as `en`, `en-US`, `zh-Hant-TW`, `es-419`.
    static func isWellFormed(_ tag: String) -> Bool {
        let subtags = tag.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let language = subtags.first, subtags.allSatisfy({ !$0.isEmpty && $0.count <= 8 && isAlphanumeric($0) })
        else { return false }
        if language.lowercased() == "x" { return subtags.count > 1 }  // private use
        guard (2...3).contains(language.count) || (5...8).contains(language.count), isAlpha(language) else {
            return false
        }
        var index = 1
        // extlang: up to three 3-letter subtags after a 2-3 letter language.
        var extlangs = 0
        while index < subtags.count, language.count <= 3, extlangs < 3, subtags[index].count == 3,
            isAlpha(subtags[index])
        {
            index += 1
            extlangs += 1
        }
        if index < subtags.count, subtags[index].count == 4, isAlpha(subtags[index]) { index += 1 }  // script
        if index < subtags.count,
            (subtags[index].count == 2 && isAlpha(subtags[index]))
                || (subtags[index].count == 3 && isDigits(subtags[index]))
        {
            index += 1  // region
        }
        while index < subtags.count, isVariant(subtags[index]) { index += 1 }
        while index < subtags.count, subtags[index].count == 1, subtags[index].lowercased() != "x" {
            index += 1  // extension singleton, then 2-8 char subtags
            let start = index
            while index < subtags.count, subtags[index].count >= 2 { index += 1 }
            if index == start { return false }
        }
        if index < subtags.count, subtags[index].lowercased() == "x" {
            return index + 1 < subtags.count
        }
        return index == subtags.count
    }

    private static func isVariant(_ subtag: String) -> Bool {
        (5...8).contains(subtag.count) || (subtag.count == 4 && subtag.first!.isNumber)
    }

    private static func isAlpha(_ text: String) -> Bool { text.allSatisfy { $0.isASCII && $0.isLetter } }
    private static func isDigits(_ text: String) -> Bool { text.allSatisfy { $0.isASCII && $0.isNumber } }
    private static func isAlphanumeric(_ text: String) -> Bool {
        text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}
