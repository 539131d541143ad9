/// libphonenumber's E164 and INTERNATIONAL formats for a parsed number.
enum PhoneNumberFormatter {
    /// `+<code><national number>`, e.g. `+16465676359`.
    static func e164(_ parsed: PhoneNumberParser.Parsed) -> String {
        "+\(parsed.countryCode)" + digitString(parsed.nationalNumber)
    }

    /// `+<code> <grouped national number>`, e.g. `+1 646-567-6359`.
    ///
    /// Uses the main region of the calling code, as libphonenumber does (only it carries the
    /// formats: a Canadian number is formatted with US rules), and prefers its international
    /// formats over the national ones where the metadata distinguishes them.
    static func international(_ parsed: PhoneNumberParser.Parsed) -> String {
        let prefix = "+\(parsed.countryCode) "
        let number = parsed.nationalNumber
        guard let main = MetadataStore.mainRegion(forCallingCode: parsed.countryCode) else {
            return prefix + digitString(number)
        }
        let formats = main.intlFormats.isEmpty ? main.formats : main.intlFormats
        for format in formats {
            // libphonenumber `_choose_formatting_pattern_for_number`: the leading digits decide
            // which rule applies, the full pattern confirms it.
            if let leadingDigits = format.leadingDigits, leadingDigits.matchPrefix(number) == nil { continue }
            if format.pattern.matchesWhole(number) {
                return prefix + format.pattern.replaceAll(in: number, with: format.format)
            }
        }
        return prefix + digitString(number)
    }

    static func digitString(_ digits: [UInt8]) -> String {
        String(digits.map { Character(Unicode.Scalar($0 + 48)) })
    }
}
