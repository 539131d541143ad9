import Foundation

/// A compiled number description: lengths are checked before the (costlier) pattern.
struct NumberDesc: Sendable {
    let pattern: DigitPattern
    let lengths: [Int]
    let localOnlyLengths: [Int]

    /// libphonenumber `_is_number_matching_desc`: right length and whole-number pattern match.
    func matches(_ digits: [UInt8]) -> Bool {
        (lengths.isEmpty || lengths.contains(digits.count)) && pattern.matchesWhole(digits)
    }
}

/// A compiled number format.
struct NumberFormat: Sendable {
    let pattern: DigitPattern
    let format: String
    let leadingDigits: DigitPattern?
}

/// Compiled metadata for one region.
struct RegionMetadata: Sendable {
    let id: String
    let countryCode: Int
    let internationalPrefix: DigitPattern?
    let nationalPrefixForParsing: DigitPattern?
    let nationalPrefixTransformRule: String?
    let leadingDigits: DigitPattern?
    let sameMobileAndFixedLinePattern: Bool
    let general: NumberDesc
    let types: [NumberDesc]
    let formats: [NumberFormat]
    let intlFormats: [NumberFormat]

    init(_ raw: RawRegionMetadata) {
        id = raw.id
        countryCode = raw.countryCode
        internationalPrefix = raw.internationalPrefix.map(Self.compile)
        nationalPrefixForParsing = raw.nationalPrefixForParsing.map(Self.compile)
        nationalPrefixTransformRule = raw.nationalPrefixTransformRule
        leadingDigits = raw.leadingDigits.map(Self.compile)
        sameMobileAndFixedLinePattern = raw.sameMobileAndFixedLinePattern
        general = Self.desc(raw.general)
        types = raw.types.map(Self.desc)
        formats = raw.formats.map(Self.format)
        intlFormats = raw.intlFormats.map(Self.format)
    }

    /// Whether `nationalNumber` is a valid number of this region (libphonenumber's
    /// `_number_type_helper(...) != UNKNOWN`): it must match the general description and at
    /// least one number type. The fixed-line/mobile order only matters for naming the type.
    func isValid(_ nationalNumber: [UInt8]) -> Bool {
        guard general.matches(nationalNumber) else { return false }
        return types.contains { $0.matches(nationalNumber) }
    }

    /// libphonenumber `_test_number_length` for the UNKNOWN type (general description lengths).
    func lengthCheck(_ nationalNumber: [UInt8]) -> LengthCheck {
        let length = nationalNumber.count
        if general.localOnlyLengths.contains(length) { return .possibleLocalOnly }
        guard let shortest = general.lengths.first, let longest = general.lengths.last else {
            return .invalidLength
        }
        if length < shortest { return .tooShort }
        if length > longest { return .tooLong }
        return general.lengths.contains(length) ? .possible : .invalidLength
    }

    /// Generated patterns are verified by `generate_metadata.py` and by a test; should one still
    /// fail to compile, it matches nothing, so numbers become nil rather than crashing the app.
    private static func compile(_ source: String) -> DigitPattern {
        (try? DigitPattern(source)) ?? neverMatching
    }

    private static let neverMatching = try! DigitPattern("[]")

    private static func desc(_ raw: RawNumberDesc) -> NumberDesc {
        NumberDesc(pattern: compile(raw.pattern), lengths: raw.lengths, localOnlyLengths: raw.localOnlyLengths)
    }

    private static func format(_ raw: RawNumberFormat) -> NumberFormat {
        NumberFormat(pattern: compile(raw.pattern), format: raw.format, leadingDigits: raw.leadingDigits.map(compile))
    }
}

/// Outcome of a possible-length check (libphonenumber `ValidationResult`).
enum LengthCheck: Sendable {
    case possible, possibleLocalOnly, tooShort, invalidLength, tooLong
}

/// The phone metadata, each region compiled on its first use.
///
/// Compiling every region at once (about 250, their patterns into ``DigitPattern``s) took 19 ms,
/// spent on the first request that carried a phone after each start; a region now costs its own
/// compile, a fraction of a millisecond, the first time a number needs it.
enum MetadataStore {
    /// The generated metadata by region id, not compiled.
    private static let rawRegions: [String: RawRegionMetadata] = Dictionary(
        uniqueKeysWithValues: RawPhoneMetadata.regions.map { ($0.id, $0) }
    )

    private static let compiled = CompiledRegions()

    /// Region `id`'s compiled metadata (compiled now if no number needed it yet); `nil` for a
    /// region the metadata does not have. Safe from any thread.
    static func region(_ id: String) -> RegionMetadata? {
        if let region = compiled[id] { return region }
        guard let raw = rawRegions[id] else { return nil }
        return compiled.keep(RegionMetadata(raw), as: id)
    }

    /// Calling code → region codes (main region first); non-geographic codes map to `["001"]`.
    static var callingCodeRegions: [Int: [String]] { RawPhoneMetadata.callingCodeRegions }

    static let supportedRegions: [String] = RawPhoneMetadata.regions.map(\.id).sorted()

    /// Patterns that failed to compile (expected to be empty; checked by a test).
    static var compileFailures: [DigitPatternError] {
        var failures: [DigitPatternError] = []
        func check(_ source: String?) {
            guard let source else { return }
            do { _ = try DigitPattern(source) } catch { failures.append(error) }
        }
        for region in RawPhoneMetadata.regions {
            [
                region.internationalPrefix, region.nationalPrefixForParsing, region.leadingDigits,
                region.general.pattern,
            ].forEach(check)
            region.types.forEach { check($0.pattern) }
            (region.formats + region.intlFormats).forEach {
                check($0.pattern); check($0.leadingDigits)
            }
        }
        return failures
    }

    /// The main region for a calling code, whose formats libphonenumber uses for all its regions.
    static func mainRegion(forCallingCode code: Int) -> RegionMetadata? {
        callingCodeRegions[code]?.first.flatMap(region)
    }
}

/// The regions compiled so far, shared by every thread.
private final class CompiledRegions: @unchecked Sendable {
    private let lock = NSLock()
    private var regions: [String: RegionMetadata] = [:]

    subscript(id: String) -> RegionMetadata? {
        lock.withLock { regions[id] }
    }

    /// Keeps `region` unless another thread compiled `id` first; returns the one kept.
    func keep(_ region: RegionMetadata, as id: String) -> RegionMetadata {
        lock.withLock {
            if let kept = regions[id] { return kept }
            regions[id] = region
            return region
        }
    }
}
