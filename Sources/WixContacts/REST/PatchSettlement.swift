import JSONCore

extension ContactInfoPatch {
    /// Whether `contact` shows this patch applied: every field it sets or clears has that value
    /// (ignoring what the server derives: item ids, primary flags, `e164Phone`). Used to settle a
    /// PATCH whose response was lost, by reading the contact instead of resending blindly.
    public func isApplied(to contact: Contact) -> Bool {
        let patch = self
        for field in patch.sentFields {
            if field == "extendedFields" {
                let current = contact.info.extendedFields ?? JSONObject()
                for (key, value) in patch.json["extendedFields"]?["items"]?.objectValue ?? JSONObject()
                where !ContactInfo.isReadOnlyExtendedField(key) {
                    if (current[key] ?? .null) != value { return false }
                }
                continue
            }
            let current = contact.info.writableJSON(field).map { normalized($0) }
            let wanted =
                patch.clearedFields.contains(field) ? nil : patch.info.writableJSON(field).map { normalized($0) }
            if current != wanted { return false }
        }
        return true
    }

    private func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map { normalized($0) })
        case .object(var object):
            for key in ["id", "primary", "e164Phone"] { object[key] = nil }
            for (key, member) in object { object[key] = normalized(member) }
            return .object(object)
        default: return value
        }
    }
}
