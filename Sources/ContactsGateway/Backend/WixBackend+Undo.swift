public import ContactAudit
import GRDB
import JSONCore
import WixContacts

extension WixBackend {
    /// Undo through the REST API: read the contact fresh, plan from the audit entry, and send the
    /// restoring PATCH through the same intent protocol as any change.
    ///
    /// A dry run cannot ask Wix for the would-be contact, so it returns the current contact with
    /// the fields that would change and the conflicts.
    public func undo(target: UndoTarget, mode: UndoMode, dryRun: Bool, context: RequestContext) async throws
        -> UndoOutcome
    {
        let entry: AuditEntry
        switch target {
        case .auditId(let auditId):
            entry = try await audit.entry(id: auditId)
        case .latestChange(let contactId):
            let latest = try await audit.database.read { db in try AuditLog.latestUndoable(db, contactId: contactId) }
            guard let latest else {
                throw ContactsError(
                    .auditEntryNotFound, message: "The contact has no change left to undo.",
                    details: ["contactId": .string(contactId)])
            }
            entry = latest
        }
        let current = try await get(id: entry.contactId)
        let plan = try UndoPlanner.plan(undoing: entry, current: try current.contact())
        if dryRun {
            return UndoOutcome(
                snapshot: current, auditId: nil, undid: entry.auditId, changedFields: paths(plan.patch.sentFields),
                conflicts: plan.conflicts)
        }
        if mode == .strict, !plan.conflicts.isEmpty {
            throw ContactsError(
                .undoConflict,
                details: ["auditId": .int(Int(entry.auditId)), "conflicts": .array(plan.conflicts.map(\.json))])
        }
        let outcome = try await change(
            .undo, id: entry.contactId, before: current, patch: plan.patch, allowDuplicates: false, context: context,
            undoOf: entry.auditId)
        return UndoOutcome(
            snapshot: outcome.snapshot, auditId: outcome.auditId, undid: entry.auditId,
            changedFields: outcome.changedFields,
            conflicts: [])
    }
}
