public import ContactAudit
public import JSONCore
public import WixContacts

/// The outcome of undoing a whole group (a merge, a bulk call, a label deletion).
public struct GroupUndoOutcome: Sendable {
    /// The group undone.
    public var groupId: String
    /// The group the undo's own entries share.
    public var undoGroupId: String?
    /// Each entry reverted (or, for a dry run, that would be), newest first, with its undo.
    public var steps: [UndoOutcome]
    /// Entries already undone before this call (a second call finishing the job skips them).
    public var alreadyUndone: [Int64]

    /// `{groupId, undoGroupId?, reverted: [{auditId, undoAuditId?, contactId}], alreadyUndone}`.
    public var json: JSONValue {
        var object: JSONObject = ["groupId": .string(groupId)]
        if let undoGroupId { object["undoGroupId"] = .string(undoGroupId) }
        object["reverted"] = .array(steps.map(\.stepJSON))
        object["alreadyUndone"] = .array(alreadyUndone.map { .int(Int($0)) })
        return .object(object)
    }
}

extension UndoOutcome {
    /// One step of a group undo: `{auditId, undoAuditId?, contactId, changedFields, conflicts?}`.
    var stepJSON: JSONValue {
        var object: JSONObject = [
            "auditId": .int(Int(undid)), "contactId": .string(snapshot.id), "changedFields": strings(changedFields),
        ]
        if let auditId { object["undoAuditId"] = .int(Int(auditId)) }
        if !conflicts.isEmpty { object["conflicts"] = .array(conflicts.map(\.json)) }
        return .object(object)
    }
}

extension UndoCoordinator {
    /// Undoes every entry of `groupId`, newest first (so a merge's target gives its sources'
    /// emails back before the sources are created again), each step audited and all steps in one
    /// new group.
    ///
    /// On a backend that can (``AtomicGroupUndo``: the local one) every step runs in one
    /// transaction, so a failing step reverts nothing. Elsewhere steps run one after another;
    /// when one fails the call fails with that step's error, and
    /// its `data` says exactly which entries were reverted (`reverted`) and which were not
    /// (`notReverted`, `failedAuditId`). Entries already undone are skipped, so calling again
    /// finishes the job. A dry run reports every step, and the first failure, without writing.
    ///
    /// - Throws: `AUDIT_ENTRY_NOT_FOUND` for a group with no entries; a step's error otherwise.
    public func undoGroup(_ groupId: String, mode: UndoMode, dryRun: Bool, context: RequestContext) async throws
        -> GroupUndoOutcome
    {
        let entries = try await backend.audit.group(groupId)
        guard !entries.isEmpty else {
            throw ContactsError(
                .auditEntryNotFound, message: "No audit entries have this group id.",
                details: ["groupId": .string(groupId)])
        }
        let stepContext = context.inGroup()
        var outcome = GroupUndoOutcome(
            groupId: groupId, undoGroupId: dryRun ? nil : stepContext.groupId, steps: [], alreadyUndone: [])
        let pending = entries.reversed().filter { $0.operation != .undo }
        if !dryRun, let atomic = backend as? any AtomicGroupUndo {
            let steps = pending.filter { $0.undoneBy == nil }
            outcome.alreadyUndone = pending.filter { $0.undoneBy != nil }.map(\.auditId)
            do {
                outcome.steps = try await atomic.undoInOneTransaction(steps, mode: mode, context: stepContext)
            } catch let error as ContactsError {
                var details = error.details
                details["groupId"] = .string(groupId)
                details["reverted"] = []
                details["notReverted"] = .array(steps.map { .int(Int($0.auditId)) })
                throw ContactsError(
                    error.code, httpStatus: error.httpStatus,
                    message: "Reverted none of the group's entries (they are undone together), because: \(error.message)",
                    details: details)
            }
            return outcome
        }
        for (index, entry) in pending.enumerated() {
            if entry.undoneBy != nil {
                outcome.alreadyUndone.append(entry.auditId)
                continue
            }
            do {
                outcome.steps.append(
                    try await undo(target: .auditId(entry.auditId), mode: mode, dryRun: dryRun, context: stepContext))
            } catch let error as ContactsError {
                var details = error.details
                details["groupId"] = .string(groupId)
                details["failedAuditId"] = .int(Int(entry.auditId))
                details["reverted"] = .array(outcome.steps.map(\.stepJSON))
                details["notReverted"] = .array(
                    pending[index...].filter { $0.undoneBy == nil }.map { .int(Int($0.auditId)) })
                throw ContactsError(
                    error.code, httpStatus: error.httpStatus,
                    message:
                        "Reverted \(outcome.steps.count) of \(pending.count - outcome.alreadyUndone.count) entries of the group, then: \(error.message)",
                    details: details)
            }
        }
        return outcome
    }
}
