/// Namespace for the generated libphonenumber tables (see `PhoneMetadata+Generated.swift`).
///
/// The tables hold pattern *strings*; `RegionMetadata` compiles them once.
enum RawPhoneMetadata {}

/// libphonenumber's `PhoneNumberDesc`: a national-number pattern and its possible lengths.
struct RawNumberDesc: Sendable {
    let pattern: String
    let lengths: [Int]
    /// Lengths that are only diallable locally (e.g. without an area code); never valid.
    let localOnlyLengths: [Int]
}

/// libphonenumber's `NumberFormat`, reduced to what the INTERNATIONAL format needs.
struct RawNumberFormat: Sendable {
    let pattern: String
    /// Template with `\1`-style group references, e.g. `\1 \2-\3`.
    let format: String
    /// The most specific (last) leading-digits pattern, if any.
    let leadingDigits: String?
}

/// libphonenumber's `PhoneMetadata` for one region, reduced to parsing, validation and formatting.
struct RawRegionMetadata: Sendable {
    let id: String
    let countryCode: Int
    let internationalPrefix: String?
    let nationalPrefixForParsing: String?
    let nationalPrefixTransformRule: String?
    /// Disambiguates regions sharing a calling code (e.g. `"8[0-2]"`-style prefixes).
    let leadingDigits: String?
    let sameMobileAndFixedLinePattern: Bool
    let general: RawNumberDesc
    /// Fixed-line, mobile, toll-free, … descriptions; a valid number matches at least one.
    let types: [RawNumberDesc]
    let formats: [RawNumberFormat]
    /// Formats for the INTERNATIONAL format; empty means "same as `formats`".
    let intlFormats: [RawNumberFormat]
}
