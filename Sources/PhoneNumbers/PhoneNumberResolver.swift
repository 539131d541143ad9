/// A phone number resolved against its region.
///
/// Produced by `PhoneNumberResolver.resolve(phone:regionCode:)`; both strings follow Google's
/// libphonenumber, so they match what Wix Contacts derives for `e164Phone` / `formattedPhone`.
public struct ResolvedPhoneNumber: Sendable, Hashable {
    /// E.164 form: plus, calling code, national significant number, e.g. `"+16465676359"`.
    public let e164: String
    /// libphonenumber's INTERNATIONAL format, e.g. `"+1 646-567-6359"`.
    public let international: String
    /// The region the number belongs to, e.g. `"US"`. Usually the requested region; it differs
    /// when the input carries another calling code (`"+44 …"` → `"GB"`) or when regions share a
    /// calling code (a Toronto number entered for `"US"` → `"CA"`).
    public let regionCode: String

    /// Creates a resolved number from already-derived parts.
    public init(e164: String, international: String, regionCode: String) {
        self.e164 = e164
        self.international = international
        self.regionCode = regionCode
    }
}

/// Derives E.164 and international forms of user-typed phone numbers, using tables generated from
/// libphonenumber metadata (the Python `phonenumbers` package, version in `metadataVersion`).
///
/// Input may contain spaces, dashes, dots, parentheses and slashes, a leading `+` with a calling
/// code, an international dialling prefix (`00`, `011`, …), the national trunk prefix (`0` in
/// IL/GB/DE, `1` in the US), or the region's calling code without `+`. A number is accepted when
/// libphonenumber would parse it and consider it valid (`is_valid_number`): it must match one of
/// the number-type patterns (fixed line, mobile, toll free, …) of the region that owns it. Letters,
/// extensions and non-geographic codes (`+800`, …) are not supported and give `nil`.
///
/// Supported regions (every geographic region in libphonenumber):
/// AC, AD, AE, AF, AG, AI, AL, AM, AO, AR, AS, AT, AU, AW, AX, AZ, BA, BB, BD, BE, BF, BG, BH,
/// BI, BJ, BL, BM, BN, BO, BQ, BR, BS, BT, BW, BY, BZ, CA, CC, CD, CF, CG, CH, CI, CK, CL, CM,
/// CN, CO, CR, CU, CV, CW, CX, CY, CZ, DE, DJ, DK, DM, DO, DZ, EC, EE, EG, EH, ER, ES, ET, FI,
/// FJ, FK, FM, FO, FR, GA, GB, GD, GE, GF, GG, GH, GI, GL, GM, GN, GP, GQ, GR, GT, GU, GW, GY,
/// HK, HN, HR, HT, HU, ID, IE, IL, IM, IN, IO, IQ, IR, IS, IT, JE, JM, JO, JP, KE, KG, KH, KI,
/// KM, KN, KP, KR, KW, KY, KZ, LA, LB, LC, LI, LK, LR, LS, LT, LU, LV, LY, MA, MC, MD, ME, MF,
/// MG, MH, MK, ML, MM, MN, MO, MP, MQ, MR, MS, MT, MU, MV, MW, MX, MY, MZ, NA, NC, NE, NF, NG,
/// NI, NL, NO, NP, NR, NU, NZ, OM, PA, PE, PF, PG, PH, PK, PL, PM, PR, PS, PT, PW, PY, QA, RE,
/// RO, RS, RU, RW, SA, SB, SC, SD, SE, SG, SH, SI, SJ, SK, SL, SM, SN, SO, SR, SS, ST, SV, SX,
/// SY, SZ, TA, TC, TD, TG, TH, TJ, TK, TL, TM, TN, TO, TR, TT, TV, TW, TZ, UA, UG, US, UY, UZ,
/// VA, VC, VE, VG, VI, VN, VU, WF, WS, XK, YE, YT, ZA, ZM, ZW
public enum PhoneNumberResolver {
    /// Resolves `phone` for `regionCode` (case-insensitive ISO alpha-2); nil when either is invalid or the region is unsupported.
    ///
    /// Never throws: an unparseable or invalid number simply has no derived forms.
    public static func resolve(phone: String, regionCode: String) -> ResolvedPhoneNumber? {
        guard let region = MetadataStore.region(asciiUppercased(regionCode)),
            let input = PhoneInputNormalizer.normalize(phone),
            let parsed = PhoneNumberParser.parse(digits: input.digits, hasPlus: input.hasPlus, region: region),
            let owner = PhoneNumberParser.region(for: parsed),
            owner.isValid(parsed.nationalNumber)
        else { return nil }
        return ResolvedPhoneNumber(
            e164: PhoneNumberFormatter.e164(parsed),
            international: PhoneNumberFormatter.international(parsed),
            regionCode: owner.id
        )
    }

    /// The supported region codes, sorted.
    public static var supportedRegions: [String] { MetadataStore.supportedRegions }

    /// Version of the `phonenumbers` (libphonenumber) metadata the tables were generated from.
    public static var metadataVersion: String { RawPhoneMetadata.sourceVersion }

    /// Upper-cases ASCII letters only, so e.g. a Turkish dotless i cannot map onto a region code.
    private static func asciiUppercased(_ code: String) -> String {
        String(
            String.UnicodeScalarView(
                code.unicodeScalars.map { scalar in
                    ("a"..."z").contains(scalar) ? Unicode.Scalar(scalar.value - 32)! : scalar
                }))
    }
}
