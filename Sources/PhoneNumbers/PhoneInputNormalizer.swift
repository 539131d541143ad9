/// Turns free text such as `"+1 (646) 567-6359"` into a plus flag and ASCII digit values.
///
/// Deliberately stricter than libphonenumber, which also accepts vanity letters ("1-800-FLOWERS"),
/// extensions ("ext. 12") and surrounding text ("Tel: …"): a contact store should not silently
/// drop parts of what the user typed, so anything beyond digits, separators and one leading plus
/// makes the input unresolvable.
enum PhoneInputNormalizer {
    /// Normalised input: whether it started with a plus sign, and its digits (0–9 values).
    struct Normalized: Equatable {
        let hasPlus: Bool
        let digits: [UInt8]
    }

    /// Inputs with more digits than this cannot be a number (IDD + code + 17-digit NSN is < 30);
    /// the cap also bounds matching work for hostile input.
    static let maximumDigits = 30

    /// libphonenumber's `_VALID_PUNCTUATION` without the letter `x` (an extension marker there).
    private static let separators: Set<Unicode.Scalar> = {
        var set = Set<Unicode.Scalar>("- ()./[]~".unicodeScalars)
        let ranges: [ClosedRange<UInt32>] = [
            0x2010...0x2015, 0x2212...0x2212, 0x30FC...0x30FC, 0xFF0D...0xFF0F, 0x00A0...0x00A0,
            0x00AD...0x00AD, 0x200B...0x200B, 0x2060...0x2060, 0x3000...0x3000, 0xFF08...0xFF09,
            0xFF3B...0xFF3B, 0xFF3D...0xFF3D, 0x2053...0x2053, 0x223C...0x223C, 0xFF5E...0xFF5E,
        ]
        for range in ranges { for value in range { if let scalar = Unicode.Scalar(value) { set.insert(scalar) } } }
        return set
    }()

    /// Plus signs libphonenumber accepts: ASCII and full-width.
    private static let plusSigns: Set<Unicode.Scalar> = ["+", "\u{FF0B}"]

    /// Returns nil for empty input, stray characters, a misplaced plus or too many digits.
    static func normalize(_ text: String) -> Normalized? {
        var digits: [UInt8] = []
        var hasPlus = false
        for scalar in text.unicodeScalars {
            if let digit = decimalValue(of: scalar) {
                digits.append(digit)
                guard digits.count <= maximumDigits else { return nil }
            } else if plusSigns.contains(scalar) {
                // Only one plus, and only before the first digit: "+1 646…" but not "1+646…".
                guard !hasPlus, digits.isEmpty else { return nil }
                hasPlus = true
            } else if !(separators.contains(scalar) || scalar.properties.isWhitespace) {
                return nil
            }
        }
        return digits.isEmpty ? nil : Normalized(hasPlus: hasPlus, digits: digits)
    }

    /// Any Unicode decimal digit (Arabic-Indic, full-width, …), as libphonenumber normalises them.
    private static func decimalValue(of scalar: Unicode.Scalar) -> UInt8? {
        guard scalar.properties.numericType == .decimal,
            let value = scalar.properties.numericValue, value >= 0, value <= 9
        else { return nil }
        return UInt8(value)
    }
}
