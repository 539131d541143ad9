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
        // Field by field in `fieldNames` order, with typed values compared where they are plain
        // (the common case, and far cheaper than encoding) and the writable JSON where ids or
        // derived values must be ignored. Not a `switch` on each name: that compared the name
        // with the cases one by one, some 60 string comparisons a change.
        // Where either side's writable value is empty (`writableJSON` is `nil` exactly then: a
        // create, a list cleared or first filled), whether the other's is decides it without
        // encoding either.
        var changed: [String] = []
        func differs(
            _ field: String, plainlyEqual: Bool, empty: @autoclosure () -> Bool, otherEmpty: @autoclosure () -> Bool
        ) -> Bool {
            if plainlyEqual { return false }
            let (empty, otherEmpty) = (empty(), otherEmpty())
            if empty || otherEmpty { return empty != otherEmpty }
            return writableJSON(field) != other.writableJSON(field)
        }
        func differs<Item>(_ field: String, _ mine: [Item]?, _ theirs: [Item]?, plainlyEqual: Bool) -> Bool {
            differs(
                field, plainlyEqual: plainlyEqual, empty: mine?.isEmpty ?? true, otherEmpty: theirs?.isEmpty ?? true)
        }
        if name != other.name { changed.append("name") }
        if differs("emails", emails, other.emails, plainlyEqual: emails == other.emails) { changed.append("emails") }
        if differs("phones", phones, other.phones, plainlyEqual: phones == other.phones) { changed.append("phones") }
        if differs("addresses", addresses, other.addresses, plainlyEqual: addresses == other.addresses) {
            changed.append("addresses")
        }
        if company != other.company { changed.append("company") }
        if jobTitle != other.jobTitle { changed.append("jobTitle") }
        if birthdate != other.birthdate { changed.append("birthdate") }
        if locale != other.locale { changed.append("locale") }
        if labelKeys != other.labelKeys { changed.append("labelKeys") }
        if differs(
            "extendedFields", plainlyEqual: extendedFields == other.extendedFields,
            empty: !hasWritableExtendedFields, otherEmpty: !other.hasWritableExtendedFields)
        {
            changed.append("extendedFields")
        }
        if picture != other.picture { changed.append("picture") }
        return changed
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

    /// Whether ``writableJSON(_:)`` of `extendedFields` is not `nil`.
    private var hasWritableExtendedFields: Bool {
        extendedFields?.contains { !ContactInfo.isReadOnlyExtendedField($0.0) } ?? false
    }

    private func strip(_ value: JSONValue, _ keys: [String]) -> JSONValue {
        guard case .object(var object) = value else { return value }
        for key in keys { object[key] = nil }
        return .object(object)
    }
}
