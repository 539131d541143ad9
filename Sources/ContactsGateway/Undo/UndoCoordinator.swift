public import ContactAudit
import JSONCore
public import WixContacts

/// Which entry `contacts.undo` reverts.
public enum UndoTarget: Sendable {
    /// This entry.
    case auditId(Int64)
    /// The latest change to this contact that is not an undo and not yet undone.
    case latestChange(contactId: String)
}

/// The outcome of an undo (or its dry run).
public struct UndoOutcome: Sendable {
    /// The contact after the undo (or as it would be).
    public var snapshot: ContactSnapshot
    /// The new `undo` entry; `nil` for a dry run.
    public var auditId: Int64?
    /// The entry undone.
    public var undid: Int64
    /// `info.*` paths that change.
    public var changedFields: [String]
    /// Fields changed since the undone entry (reported by dry runs; a strict undo fails instead).
    public var conflicts: [UndoFieldConflict]
}

/// `contacts.undo` (SPEC §7) for every backend, written once: find the entry, read the contact,
/// plan the restoring patch (``UndoPlanner``), check conflicts, and have the backend write it
/// at the revision it was planned on (``ContactsBackend/restore(id:patch:revision:undoing:dryRun:context:)``).
///
/// A contact that changes between the read and the write fails the write with
/// `CONTACT_ALREADY_CHANGED`; the undo is then planned again from the new state (so a strict
/// undo checks its conflicts again, and an entry another process undid meanwhile is refused as
/// already undone), up to ``maximumAttempts`` times.
public struct UndoCoordinator: Sendable {
    /// Plans before `CONTACT_ALREADY_CHANGED` is reported to the caller.
    public static let maximumAttempts = 3

    /// The backend that reads and writes.
    public let backend: any ContactsBackend

    /// A coordinator over `backend`.
    public init(backend: any ContactsBackend) {
        self.backend = backend
    }

    /// Undoes `target` (or, with `dryRun`, reports what undoing it would write, and its conflicts).
    ///
    /// - Throws: `AUDIT_ENTRY_NOT_FOUND`, `CONTACT_NOT_FOUND` (by `contactId`, for a contact that
    ///   does not exist), `UNDO_CONFLICT`, `UNDO_NOT_SUPPORTED`, and what the write may throw.
    public func undo(target: UndoTarget, mode: UndoMode, dryRun: Bool, context: RequestContext) async throws
        -> UndoOutcome
    {
        var attempt = 0
        while true {
            attempt += 1
            let entry = try await entry(for: target)
            if let undoneBy = entry.undoneBy {
                throw ContactsError(
                    .undoConflict, message: "This change has already been undone.",
                    details: ["auditId": .int(Int(entry.auditId)), "undoneBy": .int(Int(undoneBy)), "conflicts": []])
            }
            switch entry.operation {
            case .delete:
                return try await undoDelete(entry, mode: mode, dryRun: dryRun, context: context)
            case .external where entry.after == nil:  // deleted outside the gateway
                return try await undoDelete(entry, mode: mode, dryRun: dryRun, context: context)
            case .create:
                if case .latestChange = target { break }  // walking back stops at the create (UndoPlanner)
                return try await undoCreate(entry, mode: mode, dryRun: dryRun, context: context)
            default: break
            }
            let current = try await backend.get(id: entry.contactId)
            let plan = try UndoPlanner.plan(undoing: entry, current: try current.contact())
            if mode == .strict, !dryRun, !plan.conflicts.isEmpty {
                throw ContactsError(
                    .undoConflict,
                    details: ["auditId": .int(Int(entry.auditId)), "conflicts": .array(plan.conflicts.map(\.json))])
            }
            do {
                let outcome = try await backend.restore(
                    id: entry.contactId, patch: plan.patch, revision: current.revision, undoing: entry.auditId,
                    dryRun: dryRun, context: context)
                return UndoOutcome(
                    snapshot: outcome.snapshot, auditId: outcome.auditId, undid: entry.auditId,
                    changedFields: outcome.changedFields, conflicts: dryRun ? plan.conflicts : [])
            } catch let error as ContactsError
                where error.code == .contactAlreadyChanged && attempt < Self.maximumAttempts
            {
                continue
            }
        }
    }

    func entry(for target: UndoTarget) async throws -> AuditEntry {
        switch target {
        case .auditId(let auditId):
            return try await backend.audit.entry(id: auditId)
        case .latestChange(let contactId):
            if let latest = try await backend.audit.latestUndoable(contactId: contactId) { return latest }
            _ = try await backend.get(id: contactId)  // CONTACT_NOT_FOUND first, when it is that
            throw ContactsError(
                .auditEntryNotFound, message: "The contact has no change left to undo.",
                details: ["contactId": .string(contactId)])
        }
    }
}
