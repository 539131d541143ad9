public import ContactAudit
public import JSONCore
public import WixContacts

/// What a many-entry undo reverts: a group (a merge, a bulk call, a label deletion) or a run
/// (everything one gateway process wrote).
public enum UndoScope: Sendable {
    case group(String)
    case run(String)

    /// `groupId` or `runId`: the member naming it in params, results and error data.
    public var key: String {
        switch self {
        case .group: return "groupId"
        case .run: return "runId"
        }
    }

    /// The group's or run's id.
    public var id: String {
        switch self {
        case .group(let id), .run(let id): return id
        }
    }
}

/// The outcome of undoing a whole group or run.
public struct GroupUndoOutcome: Sendable {
    /// What was undone.
    public var scope: UndoScope
    /// The group the undo's own entries share.
    public var undoGroupId: String?
    /// Each entry reverted (or, for a dry run, that would be), newest first, with its undo.
    public var steps: [UndoOutcome]
    /// Entries already undone before this call (a second call finishing the job skips them).
    public var alreadyUndone: [Int64]

    /// `{groupId | runId, undoGroupId?, reverted: [{auditId, undoAuditId?, contactId}], alreadyUndone}`.
    public var json: JSONValue {
        var object: JSONObject = [scope.key: .string(scope.id)]
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
    public func undoAll(_ scope: UndoScope, mode: UndoMode, dryRun: Bool, context: RequestContext) async throws
        -> GroupUndoOutcome
    {
        let entries: [AuditEntry]
        switch scope {
        case .group(let id): entries = try await backend.audit.group(id)
        case .run(let id): entries = try await backend.audit.run(id)
        }
        guard !entries.isEmpty else {
            throw ContactsError(
                .auditEntryNotFound, message: "No audit entries have this \(scope.key).",
                details: [scope.key: .string(scope.id)])
        }
        let stepContext = context.inGroup()
        var outcome = GroupUndoOutcome(
            scope: scope, undoGroupId: dryRun ? nil : stepContext.groupId, steps: [], alreadyUndone: [])
        let pending = entries.reversed().filter { $0.operation != .undo }
        if mode == .strict, !dryRun {
            // Every conflict at once, before anything is written.
            let conflicts = try await preflightConflicts(pending.filter { $0.undoneBy == nil })
            if !conflicts.isEmpty {
                throw ContactsError(
                    .undoConflict,
                    message: "\(conflicts.count) field(s) changed since; nothing was undone (force restores them anyway).",
                    details: [
                        scope.key: .string(scope.id), "conflicts": .array(conflicts), "reverted": [],
                        "notReverted": .array(pending.filter { $0.undoneBy == nil }.map { .int(Int($0.auditId)) }),
                    ])
            }
        }
        if !dryRun, let atomic = backend as? any AtomicGroupUndo {
            let steps = pending.filter { $0.undoneBy == nil }
            outcome.alreadyUndone = pending.filter { $0.undoneBy != nil }.map(\.auditId)
            do {
                outcome.steps = try await atomic.undoInOneTransaction(steps, mode: mode, context: stepContext)
            } catch let error as ContactsError {
                var details = error.details
                details[scope.key] = .string(scope.id)
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
                details[scope.key] = .string(scope.id)
                details["failedAuditId"] = .int(Int(entry.auditId))
                details["reverted"] = .array(outcome.steps.map(\.stepJSON))
                details["notReverted"] = .array(
                    pending[index...].filter { $0.undoneBy == nil }.map { .int(Int($0.auditId)) })
                throw ContactsError(
                    error.code, httpStatus: error.httpStatus,
                    message:
                        "Reverted \(outcome.steps.count) of \(pending.count - outcome.alreadyUndone.count) entries, then: \(error.message)",
                    details: details)
            }
        }
        return outcome
    }
}

extension UndoCoordinator {
    /// The conflicts a strict undo of `entries` (newest first) would meet, all of them: each
    /// entry's fields are compared with the contact as the undo of the newer entries would leave
    /// it. A contact that no longer exists is one conflict (`field: null`).
    func preflightConflicts(_ entries: [AuditEntry]) async throws -> [JSONValue] {
        var simulated: [String: [String: JSONValue]] = [:]
        var currents: [String: ContactInfo?] = [:]
        var conflicts: [JSONValue] = []
        for entry in entries where entry.operation != .delete && entry.after != nil {
            let id = entry.contactId
            if currents[id] == nil {
                do {
                    currents[id] = .some(try await backend.get(id: id).contact().info)
                } catch let error as ContactsError where error.code == .contactNotFound {
                    currents[id] = .some(nil)
                }
            }
            guard let current = currents[id] ?? nil else {
                conflicts.append(["auditId": .int(Int(entry.auditId)), "contactId": .string(id), "field": .null])
                continue
            }
            let before = try entry.beforeContact()?.info ?? ContactInfo()
            let after = try entry.afterContact()?.info ?? ContactInfo()
            let fields =
                entry.operation == .create
                ? ContactInfo.fieldNames : entry.changedFields.map { $0.hasPrefix("info.") ? String($0.dropFirst(5)) : $0 }
            for field in fields where ContactInfo.fieldNames.contains(field) {
                let now = simulated[id]?[field] ?? current.writableJSON(field) ?? .null
                let wrote = after.writableJSON(field) ?? .null
                if now != wrote {
                    conflicts.append([
                        "auditId": .int(Int(entry.auditId)), "contactId": .string(id), "field": .string("info." + field),
                        "before": before.writableJSON(field) ?? .null, "after": wrote, "current": now,
                    ])
                }
                simulated[id, default: [:]][field] = before.writableJSON(field) ?? .null
            }
        }
        return conflicts
    }
}
