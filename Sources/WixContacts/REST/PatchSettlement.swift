import JSONCore

/// Decides whether a contact read after an unanswered PATCH shows that PATCH applied.
enum PatchSettlement {
    /// Whether every field the patch sets or clears has that value in `contact` (ignoring what
    /// the server derives: item ids, primary flags, `e164Phone`).
    static func matches(_ patch: ContactInfoPatch, _ contact: Contact) -> Bool {
        for field in patch.sentFields {
            if field == "extendedFields" {
                let current = contact.info.extendedFields ?? JSONObject()
                for (key, value) in patch.json["extendedFields"]?["items"]?.objectValue ?? JSONObject()
                where !ContactInfo.isReadOnlyExtendedField(key) {
                    if (current[key] ?? .null) != value { return false }
                }
                continue
            }
            let current = contact.info.writableJSON(field).map(normalized)
            let wanted = patch.clearedFields.contains(field) ? nil : patch.info.writableJSON(field).map(normalized)
            if current != wanted { return false }
        }
        return true
    }

    private static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map(normalized))
        case .object(var object):
            for key in ["id", "primary", "e164Phone"] { object[key] = nil }
            for (key, member) in object { object[key] = normalized(member) }
            return .object(object)
        default: return value
        }
    }
}
