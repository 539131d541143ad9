import JSONCore

/// A contact's audit entries as text in the manner of `git log`: one block per entry, newest
/// first as given, with who, when, the revisions and the fields it changed.
///
/// ```
/// audit 2  update  revision 1 -> 2
/// Actor:  mcp:claude-desktop
/// Date:   2026-11-29T10:00:00.002Z
///
///     changed info.company
/// ```
enum AuditLogText {
    /// The text of `entries` (audit entry objects, raw fragments parsed) for `contactId`.
    static func render(contactId: String, entries: [JSONValue], more: Bool) -> String {
        var blocks = [
            "History of contact \(contactId): \(entries.count) entries\(more ? " (older ones omitted)" : "")."
        ]
        for entry in entries { blocks.append(block(entry)) }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    private static func block(_ entry: JSONValue) -> String {
        let operation = entry["operation"]?.stringValue ?? "change"
        let before = entry["revisionBefore"]?.intValue.map(String.init) ?? "none"
        let after = entry["revisionAfter"]?.intValue.map(String.init) ?? "?"
        var lines = ["audit \(entry["auditId"]?.intValue ?? 0)  \(operation)  revision \(before) -> \(after)"]
        if let undoOf = entry["undoOf"]?.intValue { lines.append("Undoes: audit \(undoOf)") }
        if let undoneBy = entry["undoneBy"]?.intValue { lines.append("Undone: by audit \(undoneBy)") }
        lines.append("Actor:  \(entry["actor"]?.stringValue ?? "unknown")")
        lines.append("Date:   \(entry["timestamp"]?.stringValue ?? "?")")
        let fields = entry["changedFields"]?.arrayValue?.compactMap(\.stringValue) ?? []
        lines.append("")
        lines.append("    " + (fields.isEmpty ? "no field changed" : "changed " + fields.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }
}
