import ContactAudit
import JSONCore
import WixContacts

extension UndoCoordinator {
    /// Undoes a delete (alone, or a merge's source): the contact is created again from its
    /// `before` with a new id (Wix cannot restore ids). Strict refuses when its emails or phones
    /// now belong to another contact (`DUPLICATE_CONTACT_EXISTS`); force creates it anyway. A
    /// merge's source is always created beside its target, with which it shared emails before.
    func undoDelete(_ entry: AuditEntry, mode: UndoMode, dryRun: Bool, context: RequestContext) async throws
        -> UndoOutcome
    {
        guard let before = entry.before, let revision = entry.revisionBefore else {
            throw ContactsError(.undoNotSupported, message: "The deleted contact's state was not recorded.")
        }
        let snapshot = ContactSnapshot(id: entry.contactId, revision: revision, json: before)
        let outcome = try await backend.recreate(
            snapshot, allowDuplicates: mode == .force || entry.links.mergedInto != nil, undoing: entry.auditId, dryRun: dryRun, context: context)
        return UndoOutcome(
            snapshot: outcome.snapshot, auditId: outcome.auditId, undid: entry.auditId,
            changedFields: outcome.changedFields, conflicts: [])
    }

    /// Undoes a create (by `auditId`, a group or a run): deletes the contact it made. Strict
    /// refuses with `UNDO_CONFLICT` when the contact changed since; force deletes it anyway.
    func undoCreate(_ entry: AuditEntry, mode: UndoMode, dryRun: Bool, context: RequestContext) async throws
        -> UndoOutcome
    {
        let current = try await backend.get(id: entry.contactId)
        if mode == .strict, current.revision != entry.revisionAfter {
            throw ContactsError(
                .undoConflict, message: "The contact changed after it was created.",
                details: [
                    "auditId": .int(Int(entry.auditId)), "currentRevision": .int(current.revision), "conflicts": [],
                ])
        }
        let fields = try current.contact().info.changedFields(comparedTo: ContactInfo()).map { "info." + $0 }
        if dryRun {
            return UndoOutcome(snapshot: current, auditId: nil, undid: entry.auditId, changedFields: fields, conflicts: [])
        }
        let auditId = try await backend.delete(
            id: entry.contactId, revision: mode == .strict ? current.revision : nil, undoing: entry.auditId,
            context: context)
        return UndoOutcome(snapshot: current, auditId: auditId, undid: entry.auditId, changedFields: fields, conflicts: [])
    }
}
