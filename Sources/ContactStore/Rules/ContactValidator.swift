import JSONCore
import WixContacts

/// Checks a merged `info` against the rules of SPEC §4 and collects every violation, each naming
/// its field. Invalid phone numbers are not violations: they just get no `e164Phone`.
struct ContactValidator {
    /// The most items a list may hold.
    static let maximumItems = 50

    /// Label keys that exist.
    var labelExists: (String) -> Bool
    /// The type of an extended field, `nil` when the key does not exist.
    var extendedFieldType: (String) -> ExtendedFieldType?

    /// `CANNOT_HAVE_MULTIPLE_PRIMARY_INFO` when the patch sends more than one primary email or phone.
    static func checkPrimaries(_ patch: ContactInfoPatch) throws(ContactsError) {
        let emails = patch.info.emails?.filter { $0.primary == true }.count ?? 0
        let phones = patch.info.phones?.filter { $0.primary == true }.count ?? 0
        if emails > 1 || phones > 1 { throw ContactsError(.cannotHaveMultiplePrimaryInfo) }
    }

    /// Validates the fields `patch` sets in `info` (the merged result).
    func validate(_ info: ContactInfo, setting fields: [String]) -> [FieldViolation] {
        var violations: [FieldViolation] = []
        func add(_ field: String, _ description: String, _ rule: String) {
            violations.append(FieldViolation(field: field, description: description, violatedRule: rule))
        }
        // An item's path is written only for a violation: most requests have none, and the
        // text of every item's path cost a create some 3,000 instructions.
        func item(_ list: String, _ index: Int, _ member: String) -> String { "info.\(list).items[\(index)].\(member)" }
        for field in fields {
            switch field {
            case "emails":
                let emails = info.emails ?? []
                if emails.count > Self.maximumItems { add("info.emails.items", "At most 50 emails.", "MAX_SIZE") }
                for (index, email) in emails.enumerated() {
                    if let address = email.email {
                        if !Self.isPlausibleEmail(address) {
                            add(item("emails", index, "email"), "Not a valid email address.", "FORMAT")
                        }
                    } else {
                        add(item("emails", index, "email"), "An email item needs an address.", "REQUIRED")
                    }
                    if let tag = email.tag, !tag.isKnown {
                        add(item("emails", index, "tag"), "Unknown email tag.", "ENUM")
                    }
                }
            case "phones":
                let phones = info.phones ?? []
                if phones.count > Self.maximumItems { add("info.phones.items", "At most 50 phones.", "MAX_SIZE") }
                for (index, phone) in phones.enumerated() {
                    if phone.phone == nil {
                        add(item("phones", index, "phone"), "A phone item needs a number.", "REQUIRED")
                    }
                    if let tag = phone.tag, !tag.isKnown {
                        add(item("phones", index, "tag"), "Unknown phone tag.", "ENUM")
                    }
                    if let country = phone.countryCode, !Self.isCountryCode(country) {
                        add(
                            item("phones", index, "countryCode"), "Expected an ISO-3166 alpha-2 country code.", "FORMAT"
                        )
                    }
                }
            case "addresses":
                let addresses = info.addresses ?? []
                if addresses.count > Self.maximumItems {
                    add("info.addresses.items", "At most 50 addresses.", "MAX_SIZE")
                }
                for (index, address) in addresses.enumerated() {
                    if let tag = address.tag, !tag.isKnown {
                        add(item("addresses", index, "tag"), "Unknown address tag.", "ENUM")
                    }
                    if let country = address.address?.country, !Self.isCountryCode(country) {
                        add(
                            item("addresses", index, "address.country"), "Expected an ISO-3166 alpha-2 country code.",
                            "FORMAT")
                    }
                }
            case "birthdate":
                if let birthdate = info.birthdate, !CalendarDate.isValid(birthdate) {
                    add("info.birthdate", "Expected a real date in YYYY-MM-DD form.", "FORMAT")
                }
            case "locale":
                if let locale = info.locale, !LanguageTag.isWellFormed(locale) {
                    add("info.locale", "Expected a BCP 47 language tag such as en-US.", "FORMAT")
                }
            case "labelKeys":
                let keys = info.labelKeys ?? []
                if keys.count > Self.maximumItems { add("info.labelKeys.items", "At most 50 labels.", "MAX_SIZE") }
                for (index, key) in keys.enumerated() where !labelExists(key) {
                    add("info.labelKeys.items[\(index)]", "No label with this key exists.", "NOT_FOUND")
                }
            default: break
            }
        }
        return violations
    }

    /// Checks the extended fields sent: keys must exist, values must match their type, and
    /// read-only keys may only be sent with their stored value.
    func validateExtendedFields(sent: JSONObject, stored: JSONObject?) -> [FieldViolation] {
        var violations: [FieldViolation] = []
        for (key, value) in sent {
            let path = "info.extendedFields.items.\(key)"
            if ContactInfo.isReadOnlyExtendedField(key) {
                if value != (stored?[key] ?? .null) {
                    violations.append(
                        .init(field: path, description: "This field is read-only.", violatedRule: "READ_ONLY"))
                }
                continue
            }
            guard let type = extendedFieldType(key) else {
                violations.append(
                    .init(
                        field: path, description: "No extended field with this key exists.", violatedRule: "NOT_FOUND"))
                continue
            }
            if !value.isNull, !type.accepts(value) {
                violations.append(
                    .init(field: path, description: "Expected a \(type.rawValue) value.", violatedRule: "TYPE"))
            }
        }
        return violations
    }

    static func isPlausibleEmail(_ text: String) -> Bool {
        let bytes = text.utf8
        if bytes.allSatisfy({ $0 < 0x80 }) {
            // All ASCII: the same test on the bytes, without breaking the text into characters
            // (a space, or one of the newlines LF, VT, FF and CR, is a byte of its own).
            guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), at != bytes.startIndex else { return false }
            return bytes.index(after: at) != bytes.endIndex
                && !bytes.contains { $0 == 0x20 || (0x0A...0x0D).contains($0) }
        }
        guard let at = text.lastIndex(of: "@"), at != text.startIndex else { return false }
        let domain = text[text.index(after: at)...]
        return !domain.isEmpty && !text.contains(where: { $0 == " " || $0.isNewline })
    }

    static func isCountryCode(_ text: String) -> Bool {
        text.utf8.count == 2 && text.allSatisfy { $0.isASCII && $0.isLetter }
    }
}
