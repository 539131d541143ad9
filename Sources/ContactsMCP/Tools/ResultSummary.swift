import JSONCore

/// The one-line text of a tool result, read from the result's shape rather than from the method
/// name, so a method added later gets a sensible line too.
///
/// ```
/// contacts.update: contact 6f1c… "Ada Lovelace" is at revision 2; audit entry 2 records it.
/// contacts.query: 3 of 3 contacts.
/// ```
enum ResultSummary {
    /// The line for `method`'s `result` (with raw fragments already parsed).
    static func line(method: String, result: JSONValue) -> String {
        var parts: [String] = []
        if let contact = result["contact"], contact.objectValue != nil {
            var part = "contact \(contact["id"]?.stringValue ?? "?")"
            if let name = displayName(contact) { part += " \"\(name)\"" }
            if let revision = contact["revision"]?.intValue { part += " is at revision \(revision)" }
            parts.append(part)
        }
        if let changed = result["changedFields"]?.arrayValue {
            let names = changed.compactMap(\.stringValue)
            parts.append(
                "dry run, nothing written; would change " + (names.isEmpty ? "nothing" : names.joined(separator: ", ")))
        }
        if let conflicts = result["conflicts"]?.arrayValue, !conflicts.isEmpty {
            parts.append("\(conflicts.count) conflicting field(s)")
        }
        if let count = result["count"]?.intValue, let matched = result["matched"]?.intValue {
            let failed = result["failed"]?.arrayValue?.count ?? 0
            parts.append("changed \(count) of \(matched) matching contacts" + (failed > 0 ? ", \(failed) failed" : ""))
        } else if let matched = result["matched"]?.intValue {
            parts.append("dry run, nothing written; \(matched) contacts match")
        }
        if result["cancelled"] == true { parts.append("cancelled part way") }
        if let undid = result["undid"]?.intValue { parts.append("undoes audit entry \(undid)") }
        if let auditId = result["auditId"]?.intValue { parts.append("audit entry \(auditId) records it") }
        if let groupId = result["groupId"]?.stringValue, !groupId.isEmpty {
            parts.append("group \(groupId) (contacts_undo with groupId reverts it all)")
        }
        if let attempts = result["attempts"]?.intValue, attempts > 1 { parts.append("after \(attempts) attempts") }
        if let contacts = result["contacts"]?.arrayValue {
            let total = result["pagingMetadata"]?["total"]?.intValue
            parts.append("\(contacts.count)" + (total.map { " of \($0)" } ?? "") + " contacts")
        }
        if let entries = result["entries"]?.arrayValue {
            var part = "\(entries.count) audit entries"
            if result["nextCursor"]?.stringValue != nil { part += "; more with nextCursor" }
            parts.append(part)
        }
        if let entry = result["entry"], let auditId = entry["auditId"]?.intValue {
            parts.append(
                "audit entry \(auditId): \(entry["operation"]?.stringValue ?? "change") of contact \(entry["contactId"]?.stringValue ?? "?")"
            )
        }
        if let labels = result["labels"]?.arrayValue { parts.append("\(labels.count) labels") }
        for member in ["label", "field"] {
            if let key = result[member]?["key"]?.stringValue { parts.append("\(member) \(key)") }
        }
        if parts.isEmpty { parts = plainMembers(result) }
        return "\(method): " + (parts.isEmpty ? "done" : parts.joined(separator: "; ")) + "."
    }

    /// A result of a shape not known above, member by member: scalars as they are, arrays by
    /// their length (`ok true; entries 1000`, `3 runs`).
    private static func plainMembers(_ result: JSONValue) -> [String] {
        guard case .object(let members) = result else { return [] }
        return members.compactMap { key, value in
            switch value {
            case .bool(let flag): return "\(key) \(flag)"
            case .int(let number): return "\(key) \(number)"
            case .string(let text) where text.count <= 80: return "\(key) \(text)"
            case .array(let items): return "\(items.count) \(key)"
            default: return nil
            }
        }
    }

    /// "First Last", else the primary email or phone.
    static func displayName(_ contact: JSONValue) -> String? {
        let name = [contact["info"]?["name"]?["first"], contact["info"]?["name"]?["last"]]
            .compactMap { $0?.stringValue }.filter { !$0.isEmpty }.joined(separator: " ")
        if !name.isEmpty { return name }
        return contact["primaryInfo"]?["email"]?.stringValue ?? contact["primaryInfo"]?["phone"]?.stringValue
    }
}
