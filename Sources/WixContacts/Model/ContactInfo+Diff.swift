public import JSONCore

extension ContactInfo {
    /// Extended-field key prefixes that only the server writes.
    public static let readOnlyExtendedFieldPrefixes = ["contacts.", "emailSubscriptions.", "members.", "ecom."]

    /// Whether an extended field key is maintained by the server.
    public static func isReadOnlyExtendedField(_ key: String) -> Bool {
        readOnlyExtendedFieldPrefixes.contains { key.hasPrefix($0) }
    }

    /// The top-level fields whose writable value differs between `self` and `other`, in wire order.
    ///
    /// Derived and read-only values (item ids, `e164Phone`, read-only extended fields such as
    /// `contacts.displayByFirstName`) are left out, so a change of name lists `info.name` only.
    public func changedFields(comparedTo other: ContactInfo) -> [String] {
        ContactInfo.fieldNames.filter { !hasSameWritableValue($0, as: other) }
    }

    /// Compares typed values where they are plain (the common case, and far cheaper than
    /// encoding), falling back to the writable JSON where ids or derived values must be ignored.
    private func hasSameWritableValue(_ field: String, as other: ContactInfo) -> Bool {
        switch field {
        case "name": return name == other.name
        case "company": return company == other.company
        case "jobTitle": return jobTitle == other.jobTitle
        case "birthdate": return birthdate == other.birthdate
        case "locale": return locale == other.locale
        case "labelKeys": return labelKeys == other.labelKeys
        case "picture": return picture == other.picture
        case "emails": if emails == other.emails { return true }
        case "phones": if phones == other.phones { return true }
        case "addresses": if addresses == other.addresses { return true }
        case "extendedFields": if extendedFields == other.extendedFields { return true }
        default: break
        }
        return writableJSON(field) == other.writableJSON(field)
    }

    /// The writable part of one top-level field's JSON, `nil` when empty.
    public func writableJSON(_ field: String) -> JSONValue? {
        switch field {
        case "emails":
            return emails.flatMap { $0.isEmpty ? nil : .array($0.map { strip($0.json, ["id"]) }) }
        case "phones":
            return phones.flatMap { $0.isEmpty ? nil : .array($0.map { strip($0.json, ["id", "e164Phone"]) }) }
        case "addresses":
            return addresses.flatMap { $0.isEmpty ? nil : .array($0.map { strip($0.json, ["id"]) }) }
        case "extendedFields":
            guard let extendedFields else { return nil }
            var writable = JSONObject()
            for (key, value) in extendedFields where !ContactInfo.isReadOnlyExtendedField(key) {
                writable.appendUnchecked(key, value)
            }
            return writable.isEmpty ? nil : .object(writable)
        default:
            return fieldJSON(field)
        }
    }

    private func strip(_ value: JSONValue, _ keys: [String]) -> JSONValue {
        guard case .object(var object) = value else { return value }
        for key in keys { object[key] = nil }
        return .object(object)
    }
}
