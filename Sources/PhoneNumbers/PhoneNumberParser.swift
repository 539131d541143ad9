/// A port of the parts of libphonenumber's `parse` that matter for digits typed by a user:
/// plus sign / international (IDD) prefix, country calling code with or without the plus,
/// national prefix and carrier-code stripping. Function names follow the Python original
/// (`phonenumberutil.py`) so the two can be compared line by line.
enum PhoneNumberParser {
    /// A parsed number: calling code plus national significant number (leading zeros kept).
    struct Parsed: Equatable {
        let countryCode: Int
        let nationalNumber: [UInt8]
    }

    /// libphonenumber `_MIN_LENGTH_FOR_NSN` / `_MAX_LENGTH_FOR_NSN`.
    static let nationalNumberLengths = 2...17

    /// Parses already-normalised digits as libphonenumber would with `region` as default region.
    /// Returns nil where libphonenumber raises `NumberParseException`.
    static func parse(digits: [UInt8], hasPlus: Bool, region: RegionMetadata) -> Parsed? {
        var extraction = extractCountryCode(digits, hasPlus: hasPlus, metadata: region)
        if case .failure(invalidCountryCode: true) = extraction, hasPlus {
            // Like libphonenumber: "+" followed by an unknown code is retried as if there was no "+".
            extraction = extractCountryCode(digits, hasPlus: false, metadata: region)
            if case .noCountryCode = extraction { return nil }
        }

        var metadata = region
        var countryCode = region.countryCode
        var nationalNumber = digits
        switch extraction {
        case .failure:
            return nil
        case .noCountryCode:
            break
        case .countryCode(let code, let rest):
            // Parsing continues with the main region of the extracted code (e.g. US for +1);
            // a non-geographic code such as +800 has no region here, so the number is unsupported.
            guard let main = MetadataStore.mainRegion(forCallingCode: code) else { return nil }
            if main.id != region.id { metadata = main }
            countryCode = code
            nationalNumber = rest
        }

        guard nationalNumber.count >= nationalNumberLengths.lowerBound else { return nil }
        // Only strip the national prefix when what remains still has a possible length; otherwise
        // the original could be a valid short number.
        let stripped = stripNationalPrefix(nationalNumber, metadata: metadata)
        switch metadata.lengthCheck(stripped) {
        case .tooShort, .possibleLocalOnly, .invalidLength: break
        case .possible, .tooLong: nationalNumber = stripped
        }
        guard nationalNumberLengths.contains(nationalNumber.count) else { return nil }
        return Parsed(countryCode: countryCode, nationalNumber: nationalNumber)
    }

    /// Result of libphonenumber `_maybe_extract_country_code`.
    enum Extraction: Equatable {
        case countryCode(Int, rest: [UInt8])
        case noCountryCode
        /// libphonenumber raises: too short after the IDD, or an unknown calling code.
        case failure(invalidCountryCode: Bool)
    }

    /// libphonenumber `_maybe_extract_country_code`.
    static func extractCountryCode(_ digits: [UInt8], hasPlus: Bool, metadata: RegionMetadata) -> Extraction {
        guard !digits.isEmpty else { return .noCountryCode }
        var fullNumber = digits
        var isInternational = hasPlus
        if !hasPlus, let idd = metadata.internationalPrefix, let match = idd.matchPrefix(digits) {
            // Calling codes never start with 0, so "00" + "0…" is not an IDD (_parse_prefix_as_idd).
            let rest = Array(digits[match.end...])
            if rest.first != 0 {
                fullNumber = rest
                isInternational = true
            }
        }

        if isInternational {
            guard fullNumber.count > nationalNumberLengths.lowerBound else {
                return .failure(invalidCountryCode: false)
            }
            guard let (code, rest) = splitCountryCode(fullNumber) else {
                return .failure(invalidCountryCode: true)
            }
            return .countryCode(code, rest: rest)
        }

        // The region's own calling code typed without "+": accept it when the number only makes
        // sense without it (or is too long with it), e.g. "972 97495550" for IL.
        let ownCode = decimalDigits(of: metadata.countryCode)
        if fullNumber.starts(with: ownCode) {
            let potential = stripNationalPrefix(Array(fullNumber.dropFirst(ownCode.count)), metadata: metadata)
            let general = metadata.general.pattern
            if (!general.matchesWhole(fullNumber) && general.matchesWhole(potential))
                || metadata.lengthCheck(fullNumber) == .tooLong
            {
                return .countryCode(metadata.countryCode, rest: potential)
            }
        }
        return .noCountryCode
    }

    /// libphonenumber `_extract_country_code`: the first 1–3 digits that form a known code.
    static func splitCountryCode(_ digits: [UInt8]) -> (Int, [UInt8])? {
        guard let first = digits.first, first != 0 else { return nil }
        var code = 0
        for length in 1...min(3, digits.count) {
            code = code * 10 + Int(digits[length - 1])
            if MetadataStore.callingCodeRegions[code] != nil {
                return (code, Array(digits[length...]))
            }
        }
        return nil
    }

    /// libphonenumber `_maybe_strip_national_prefix_carrier_code` (the carrier code is dropped).
    /// Returns `number` unchanged when no prefix applies or stripping would spoil a viable number.
    static func stripNationalPrefix(_ number: [UInt8], metadata: RegionMetadata) -> [UInt8] {
        guard !number.isEmpty, let prefix = metadata.nationalPrefixForParsing,
            let match = prefix.matchPrefix(number)
        else { return number }
        let general = metadata.general.pattern
        let isViableOriginal = general.matchesWhole(number)
        let rest = Array(number[match.end...])
        let result: [UInt8]
        if let rule = metadata.nationalPrefixTransformRule, !rule.isEmpty,
            let lastGroup = match.groups.last, lastGroup != nil
        {
            // e.g. AR "0 11 15 xxxx-xxxx" → "9 11 xxxx-xxxx": the rule rewrites the matched prefix.
            let head = DigitPattern.expand(rule, groups: match.groups, in: number)
            result = head.compactMap { $0.wholeNumberValue.map(UInt8.init) } + rest
        } else {
            result = rest
        }
        if isViableOriginal && !general.matchesWhole(result) { return number }
        return result
    }

    /// libphonenumber `region_code_for_number`: which region sharing the calling code owns it.
    static func region(for parsed: Parsed) -> RegionMetadata? {
        guard let ids = MetadataStore.callingCodeRegions[parsed.countryCode] else { return nil }
        if ids.count == 1 { return MetadataStore.region(ids[0]) }
        for id in ids {
            guard let metadata = MetadataStore.region(id) else { continue }
            if let leadingDigits = metadata.leadingDigits {
                if leadingDigits.matchPrefix(parsed.nationalNumber) != nil { return metadata }
            } else if metadata.isValid(parsed.nationalNumber) {
                return metadata
            }
        }
        return nil
    }

    static func decimalDigits(of value: Int) -> [UInt8] {
        String(value).compactMap { $0.wholeNumberValue.map(UInt8.init) }
    }
}
