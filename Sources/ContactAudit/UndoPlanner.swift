public import JSONCore
public import WixContacts

/// How strictly an undo checks for later changes.
public enum UndoMode: String, Sendable {
    /// Refuse when a field to restore has changed since the entry (the default).
    case strict
    /// Restore regardless.
    case force
}

/// One field an undo would overwrite although it changed after the entry being undone.
public struct UndoFieldConflict: Sendable {
    /// The `info` path, such as `info.company`.
    public var field: String
    /// The value before the entry (what undo restores); `null` when absent.
    public var before: JSONValue
    /// The value the entry wrote.
    public var after: JSONValue
    /// The value now.
    public var current: JSONValue

    /// The conflict as reported in `error.data.conflicts`.
    public var json: JSONValue {
        ["field": .string(field), "before": before, "after": after, "current": current]
    }
}

/// What undoing one audit entry would write.
public struct UndoPlan: Sendable {
    /// The entry undone.
    public var entry: AuditEntry
    /// The `info` patch that restores the entry's `before` values (a cleared field for one absent before).
    public var patch: ContactInfoPatch
    /// Fields changed since the entry.
    public var conflicts: [UndoFieldConflict]
}

/// Plans `contacts.undo` (SPEC §7): restore each of the entry's `changedFields` to its `before`
/// value, after checking — in strict mode — that none of them changed since.
public enum UndoPlanner {
    /// Plans undoing `entry` on top of `current`.
    ///
    /// - Throws: `UNDO_NOT_SUPPORTED` for a create; `UNDO_CONFLICT` for an entry already undone.
    ///   Field conflicts are returned in the plan, not thrown, so a dry run can report them.
    public static func plan(undoing entry: AuditEntry, current: Contact) throws(ContactsError) -> UndoPlan {
        guard entry.operation != .create else {
            throw ContactsError(
                .undoNotSupported, message: "Undoing a create is not supported.",
                details: ["auditId": .int(Int(entry.auditId))])
        }
        if let undoneBy = entry.undoneBy {
            throw ContactsError(
                .undoConflict, message: "This change has already been undone.",
                details: ["auditId": .int(Int(entry.auditId)), "undoneBy": .int(Int(undoneBy)), "conflicts": []])
        }
        let before = try entry.beforeContact()?.info ?? ContactInfo()
        let after = try entry.afterContact()?.info ?? ContactInfo()
        var restore = JSONObject()
        var conflicts: [UndoFieldConflict] = []
        for path in entry.changedFields {
            let field = path.hasPrefix("info.") ? String(path.dropFirst(5)) : path
            guard ContactInfo.fieldNames.contains(field) else { continue }
            let afterValue = after.writableJSON(field)
            let currentValue = current.info.writableJSON(field)
            if currentValue != afterValue {
                conflicts.append(
                    UndoFieldConflict(
                        field: "info." + field, before: before.writableJSON(field) ?? .null, after: afterValue ?? .null,
                        current: currentValue ?? .null))
            }
            restore.appendUnchecked(field, restoringValue(field, before: before, current: current.info))
        }
        let patch: ContactInfoPatch
        do {
            patch = try ContactInfoPatch(json: .object(restore))
        } catch {
            throw ContactsError(.undoNotSupported, message: "This change changed no fields that can be restored.")
        }
        return UndoPlan(entry: entry, patch: patch, conflicts: conflicts)
    }

    /// The value that puts `field` back as it was: its full `before` JSON (item ids included, so
    /// items that still exist keep their ids), or a clear when it was absent. Extended fields
    /// merge key by key, so keys added since `before` are removed explicitly.
    private static func restoringValue(_ field: String, before: ContactInfo, current: ContactInfo) -> JSONValue {
        if field == "extendedFields" {
            var items = JSONObject()
            for (key, value) in before.extendedFields ?? JSONObject() where !ContactInfo.isReadOnlyExtendedField(key) {
                items.appendUnchecked(key, value)
            }
            for (key, _) in current.extendedFields ?? JSONObject()
            where !ContactInfo.isReadOnlyExtendedField(key) && !items.contains(key) {
                items.appendUnchecked(key, .null)
            }
            return items.isEmpty ? .null : ["items": .object(items)]
        }
        return before.fieldJSON(field) ?? .null
    }
}
