public import ContactAudit
public import ContactStore
import GRDB
public import JSONCore
public import WixContacts

/// The embedded backend: every change and its audit entry commit in one SQLite transaction
/// (the store's group commit), so neither exists without the other.
public struct LocalBackend: ContactsBackend {
    /// The store.
    public let store: ContactStore
    /// The audit log, in the store's database file.
    public let audit: AuditLog
    /// The database path.
    public let location: String
    public var name: String { "local" }

    /// Opens the store and its audit log at `path`.
    public init(path: String, configuration: StoreConfiguration = StoreConfiguration()) throws {
        store = try ContactStore(path: path, configuration: configuration)
        audit = try AuditLog(
            database: store.database, clock: configuration.clock, busyTimeout: configuration.busyTimeout)
        location = path
    }

    public func get(id: String) async throws -> ContactSnapshot {
        try await store.snapshot(id: id)
    }

    public func update(
        id: String, patch: ContactInfoPatch, revision: Int, allowDuplicates: Bool, dryRun: Bool, context: RequestContext
    ) async throws -> WriteOutcome {
        if dryRun {
            let change = try await store.read { db in
                try store.planUpdate(db, id: id, patch: patch, revision: revision, allowDuplicates: allowDuplicates)
            }
            return WriteOutcome(
                snapshot: change.snapshot, auditId: nil, attempts: 1, changedFields: paths(change.changedFields))
        }
        return try await commitUpdate(
            .update, id: id, patch: patch, revision: revision, allowDuplicates: allowDuplicates, context: context)
    }

    /// Reads the latest revision and updates in the same transaction, so locally the first
    /// attempt always holds the latest revision.
    public func forceUpdate(
        id: String, patch: ContactInfoPatch, allowDuplicates: Bool, maxAttempts: Int, context: RequestContext
    ) async throws -> WriteOutcome {
        try await commitUpdate(
            .forceUpdate, id: id, patch: patch, revision: nil, allowDuplicates: allowDuplicates, context: context)
    }

    public func create(patch: ContactInfoPatch, allowDuplicates: Bool, member: Bool, context: RequestContext)
        async throws
        -> WriteOutcome
    {
        try await commit(operation: .create, patch: patch, allowDuplicates: allowDuplicates, context: context) {
            db, _ in
            try store.planCreate(db, patch: patch, allowDuplicates: allowDuplicates, member: member)
        }
    }

    public func query(_ query: ContactQuery) async throws -> ContactPage {
        try await store.query(query)
    }

    public func undo(target: UndoTarget, mode: UndoMode, dryRun: Bool, context: RequestContext) async throws
        -> UndoOutcome
    {
        let plan: @Sendable (Database) throws -> (UndoPlan, ContactChange) = { db in
            let entry: AuditEntry
            switch target {
            case .auditId(let auditId): entry = try AuditLog.entry(db, id: auditId)
            case .latestChange(let contactId):
                guard let latest = try AuditLog.latestUndoable(db, contactId: contactId) else {
                    _ = try ContactStore.load(db, id: contactId)  // CONTACT_NOT_FOUND first, when it is that
                    throw ContactsError(
                        .auditEntryNotFound, message: "The contact has no change left to undo.",
                        details: ["contactId": .string(contactId)])
                }
                entry = latest
            }
            let current = try ContactStore.load(db, id: entry.contactId).contact
            let plan = try UndoPlanner.plan(undoing: entry, current: current)
            if mode == .strict, !dryRun, !plan.conflicts.isEmpty {
                throw ContactsError(
                    .undoConflict,
                    details: [
                        "auditId": .int(Int(entry.auditId)), "conflicts": .array(plan.conflicts.map(\.json)),
                    ])
            }
            let change = try store.planUpdate(
                db, id: entry.contactId, patch: plan.patch, revision: current.revision, allowDuplicates: false)
            return (plan, change)
        }
        if dryRun {
            let (plan, change) = try await store.database.read { db in try plan(db) }
            return UndoOutcome(
                snapshot: change.snapshot, auditId: nil, undid: plan.entry.auditId,
                changedFields: paths(change.changedFields), conflicts: plan.conflicts)
        }
        let clock = store.configuration.clock
        return try await store.write(auditedChange: { db in
            let (plan, change) = try plan(db)
            try store.apply(change, in: db)
            let auditId = try AuditLog.append(
                db,
                AuditRecord(
                    contactId: change.after.id, operation: .undo, before: change.beforeSnapshot,
                    after: change.snapshot, changedFields: change.changedFields, actor: context.actor,
                    requestId: context.requestId, undoOf: plan.entry.auditId),
                clock: clock)
            let outcome = UndoOutcome(
                snapshot: change.snapshot, auditId: auditId, undid: plan.entry.auditId,
                changedFields: paths(change.changedFields), conflicts: [])
            return (outcome, change)
        })
    }

    public func findOrCreateLabel(displayName: String) async throws -> JSONValue {
        let label = try await store.findOrCreateLabel(displayName: displayName)
        return ["key": .string(label.key), "displayName": .string(label.displayName)]
    }

    public func findOrCreateExtendedField(displayName: String, dataType: String) async throws -> JSONValue {
        let type = ExtendedFieldType(rawValue: dataType) ?? .text
        let field = try await store.findOrCreateExtendedField(displayName: displayName, dataType: type)
        return [
            "key": .string(field.key), "displayName": .string(field.displayName),
            "dataType": .string(field.dataType.rawValue),
        ]
    }

    // MARK: - Helpers

    /// An update (`revision` sent) or a forced update (`nil`: the latest), planned in memory
    /// when the cache allows it.
    private func commitUpdate(
        _ operation: AuditOperation, id: String, patch: ContactInfoPatch, revision: Int?, allowDuplicates: Bool,
        context: RequestContext
    ) async throws -> WriteOutcome {
        try await commit(
            operation: operation, patch: patch, allowDuplicates: allowDuplicates, context: context,
            planInMemory: {
                try store.planUpdateInMemory(id: id, patch: patch, revision: revision, allowDuplicates: allowDuplicates)
            }
        ) { db, fromCache in
            try store.planUpdate(
                db, id: id, patch: patch, revision: revision, allowDuplicates: allowDuplicates, fromCache: fromCache)
        }
    }

    /// Plans one change outside the writer (in memory, or on a reader, concurrently with other
    /// requests), then in the group commit applies it if it still holds (else plans again there,
    /// from what is stored) and appends its audit entry: the change and its entry commit
    /// together or not at all.
    ///
    /// `planInMemory` plans without a database connection when it can (else `nil`); `plan` takes
    /// the database and whether it may start from the cache.
    private func commit(
        operation: AuditOperation, patch: ContactInfoPatch, allowDuplicates: Bool, context: RequestContext,
        planInMemory: () throws -> ContactChange? = { nil },
        plan: @escaping @Sendable (Database, Bool) throws -> ContactChange
    ) async throws -> WriteOutcome {
        let clock = store.configuration.clock
        let planned: ContactChange
        if let inMemory = try planInMemory() {
            planned = inMemory
        } else {
            planned = try await store.read { db in try plan(db, true) }
        }
        return try await store.write(auditedChange: { db in
            var change = planned
            if try !store.applyIfStillValid(planned, in: db, patch: patch, allowDuplicates: allowDuplicates) {
                change = try plan(db, false)
                try store.apply(change, in: db)
            }
            // Applied with the revision guard (or planned again from what is stored, which never
            // claims it), so the claim holds: see ContactChange.beforeIsAudited.
            let auditId = try AuditLog.append(
                db,
                AuditRecord(
                    contactId: change.after.id, operation: operation, before: change.beforeSnapshot,
                    after: change.snapshot,
                    changedFields: change.changedFields, actor: context.actor, requestId: context.requestId,
                    beforeIsLatestAfter: change.beforeIsAudited),
                clock: clock)
            let outcome = WriteOutcome(
                snapshot: change.snapshot, auditId: auditId, attempts: 1, changedFields: paths(change.changedFields))
            return (outcome, change)
        })
    }
}

/// `company` → `info.company`.
func paths(_ fields: [String]) -> [String] {
    fields.map { "info." + $0 }
}
