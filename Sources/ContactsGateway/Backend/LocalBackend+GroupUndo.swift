public import ContactAudit
import ContactStore
import GRDB
import JSONCore
public import WixContacts

/// A backend that can undo a whole group in one transaction.
public protocol AtomicGroupUndo: Sendable {
    /// Undoes `entries` (newest first) in one transaction: every step, or none.
    func undoInOneTransaction(_ entries: [AuditEntry], mode: UndoMode, context: RequestContext) async throws
        -> [UndoOutcome]
}

extension LocalBackend: AtomicGroupUndo {
    /// Each step is planned inside the transaction from the contact as stored there, the way
    /// ``UndoCoordinator`` plans a single undo: updates restore their fields (strict: no field
    /// changed since), deletes create the contact again, creates delete it.
    public func undoInOneTransaction(_ entries: [AuditEntry], mode: UndoMode, context: RequestContext) async throws
        -> [UndoOutcome]
    {
        try await store.write(changes: { db in
            var outcomes: [UndoOutcome] = []
            var changed: [ContactChange] = []
            var deleted: [String] = []
            for entry in entries {
                var journal = self.journal(.undo, undoOf: entry.auditId, context: context)
                switch entry.operation {
                case .delete:
                    guard let before = entry.before, let revision = entry.revisionBefore else {
                        throw ContactsError(.undoNotSupported, message: "The deleted contact's state was not recorded.")
                    }
                    let snapshot = ContactSnapshot(id: entry.contactId, revision: revision, json: before)
                    let change = try self.store.planCreate(
                        db, patch: try RecreatePatch.make(from: snapshot),
                        allowDuplicates: mode == .force || entry.links.mergedInto != nil, member: false)
                    try self.store.apply(change, in: db)
                    journal.entry.restoring = entry.contactId
                    let auditId = try journal.record(change, in: db)
                    changed.append(change)
                    outcomes.append(
                        UndoOutcome(
                            snapshot: change.snapshot, auditId: auditId, undid: entry.auditId,
                            changedFields: paths(change.changedFields), conflicts: []))
                case .create:
                    let current = try ContactStore.load(db, id: entry.contactId)
                    if mode == .strict, current.contact.revision != entry.revisionAfter {
                        throw ContactsError(
                            .undoConflict, message: "The contact changed after it was created.",
                            details: ["auditId": .int(Int(entry.auditId)), "conflicts": []])
                    }
                    let deletion = try self.store.deleteRow(db, id: entry.contactId, mergedInto: nil)
                    let auditId = try journal.recordDeletion(deletion, in: db)
                    deleted.append(entry.contactId)
                    outcomes.append(
                        UndoOutcome(
                            snapshot: current.snapshot, auditId: auditId, undid: entry.auditId,
                            changedFields: paths(current.contact.info.changedFields(comparedTo: ContactInfo())),
                            conflicts: []))
                default:
                    let current = try ContactStore.load(db, id: entry.contactId)
                    let plan = try UndoPlanner.plan(undoing: entry, current: current.contact)
                    if mode == .strict, !plan.conflicts.isEmpty {
                        throw ContactsError(
                            .undoConflict,
                            details: [
                                "auditId": .int(Int(entry.auditId)), "conflicts": .array(plan.conflicts.map(\.json)),
                            ])
                    }
                    let change = try self.store.planUpdate(
                        db, id: entry.contactId, patch: plan.patch, revision: current.contact.revision,
                        allowDuplicates: false, restoringItemIDs: true)
                    try self.store.apply(change, in: db)
                    let auditId = try journal.record(change, in: db)
                    changed.append(change)
                    outcomes.append(
                        UndoOutcome(
                            snapshot: change.snapshot, auditId: auditId, undid: entry.auditId,
                            changedFields: paths(change.changedFields), conflicts: []))
                }
            }
            return (outcomes, changed, deleted)
        })
    }
}
