public import ContactAudit
public import ContactStore
public import JSONCore
public import WixContacts

/// The embedded backend: every change and its audit entry commit in one SQLite transaction
/// (the store's group commit, with the audit log as its journal), so neither exists without the
/// other.
public struct LocalBackend: ContactsBackend {
    /// The store.
    public let store: ContactStore
    /// The audit log, in the store's database file.
    public let auditLog: SQLiteAuditStore
    /// The database path.
    public let location: String
    public var name: String { "local" }
    public var audit: any AuditStore { auditLog }
    public var writerActivity: WriterActivity? { store.writerActivity }

    /// Opens the store and its audit log at `path`; a new file is written from the template
    /// (``FreshDatabaseFile``) rather than created by its migrations.
    public init(path: String, configuration: StoreConfiguration = StoreConfiguration()) throws {
        if !path.isEmpty, path != ":memory:" {
            _ = FreshDatabaseFile.create(at: path, startedAt: configuration.clock())
        }
        store = try ContactStore(path: path, configuration: configuration, migratingAlso: [SQLiteAuditStore.schema])
        auditLog = try SQLiteAuditStore(
            database: store.database, clock: configuration.clock, busyTimeout: configuration.busyTimeout)
        // Every change below is recorded with it: the store's writer can skip the file's triggers.
        try auditLog.recordEveryChange(of: store)
        location = path
    }

    public func get(id: String) async throws -> ContactSnapshot {
        try await store.snapshot(id: id)
    }

    public func update(
        id: String, patch: ContactInfoPatch, revision: Int, allowDuplicates: Bool, dryRun: Bool, context: RequestContext
    ) async throws -> WriteOutcome {
        let request = ChangeRequest.update(id: id, patch: patch, revision: revision, allowDuplicates: allowDuplicates)
        return try await commit(request, .update, dryRun: dryRun, context: context)
    }

    /// Reads the latest revision and updates in the same transaction, so locally the first
    /// attempt always holds the latest revision.
    public func forceUpdate(
        id: String, patch: ContactInfoPatch, allowDuplicates: Bool, maxAttempts: Int, context: RequestContext
    ) async throws -> WriteOutcome {
        let request = ChangeRequest.update(id: id, patch: patch, revision: nil, allowDuplicates: allowDuplicates)
        return try await commit(request, .forceUpdate, context: context)
    }

    public func create(patch: ContactInfoPatch, allowDuplicates: Bool, member: Bool, context: RequestContext)
        async throws
        -> WriteOutcome
    {
        try await commit(
            .create(patch: patch, allowDuplicates: allowDuplicates, member: member), .create, context: context)
    }

    public func restore(
        id: String, patch: ContactInfoPatch, revision: Int, undoing auditId: Int64, dryRun: Bool,
        context: RequestContext
    ) async throws -> WriteOutcome {
        let request = ChangeRequest.restore(id: id, patch: patch, revision: revision)
        return try await commit(request, .undo, undoOf: auditId, dryRun: dryRun, context: context)
    }

    public func query(_ query: ContactQuery) async throws -> ContactPage {
        try await store.query(query)
    }

    public var service: any ContactsService { store }

    /// Every change of the embedded store goes through a gateway: there is no outside.
    public func observe(_ contacts: [ContactSnapshot]) async throws -> Int { 0 }

    // MARK: - Helpers

    /// The store makes the change and the audit log records it, in one transaction; a dry run
    /// works out the change on a reader and writes nothing.
    private func commit(
        _ request: ChangeRequest, _ operation: AuditOperation, undoOf: Int64? = nil, dryRun: Bool = false,
        context: RequestContext
    ) async throws -> WriteOutcome {
        if dryRun {
            return Self.outcome(of: try await store.dryRun(request), auditId: nil)
        }
        let (change, auditId) = try await store.commit(
            request, journal: journal(operation, undoOf: undoOf, context: context))
        return Self.outcome(of: change, auditId: auditId)
    }

    /// What a change tells its caller. Not inlined: the outcome is built in this function's
    /// frame, not in the async caller's, which the task allocates for every write.
    @inline(never)
    private static func outcome(of change: ContactChange, auditId: Int64?) -> WriteOutcome {
        WriteOutcome(
            snapshot: change.snapshot, auditId: auditId, attempts: 1, changedFields: paths(change.changedFields))
    }
}

/// `company` → `info.company`.
func paths(_ fields: [String]) -> [String] {
    fields.map { "info." + $0 }
}

extension LocalBackend {
    // MARK: - Delete, labels, merge: each change and its entries in one transaction

    public func delete(id: String, revision: Int?, undoing: Int64?, context: RequestContext) async throws -> Int64 {
        try await store.delete(
            id: id, revision: revision, journal: journal(.delete, undoOf: undoing, context: context)
        ).1
    }

    public func relabel(id: String, adding: [String], removing: [String], context: RequestContext) async throws
        -> WriteOutcome
    {
        try await commit(
            .relabel(id: id, adding: adding, removing: removing), adding.isEmpty ? .unlabel : .label,
            context: context)
    }

    public func previewMerge(targetId: String, sourceIds: [String]) async throws -> ContactSnapshot {
        try await store.previewMerge(targetId: targetId, sourceIds: sourceIds).snapshot
    }

    public func merge(targetId: String, sourceIds: [String], targetRevision: Int?, context: RequestContext)
        async throws -> WriteOutcome
    {
        var entry = journal(.merge, context: context)
        entry.entry.links.mergedFrom = sourceIds
        let (change, auditId, _) = try await store.merge(
            targetId: targetId, sourceIds: sourceIds, targetRevision: targetRevision, journal: entry)
        return WriteOutcome(
            snapshot: change.snapshot, auditId: auditId, attempts: 1, changedFields: paths(change.changedFields))
    }

    public func deleteLabel(key: String, context: RequestContext) async throws -> Int {
        try await store.deleteLabel(key: key, journal: journal(.unlabel, context: context)).count
    }

    public func recreate(
        _ before: ContactSnapshot, allowDuplicates: Bool, undoing: Int64, dryRun: Bool, context: RequestContext
    ) async throws -> WriteOutcome {
        let request = ChangeRequest.create(
            patch: try RecreatePatch.make(from: before), allowDuplicates: allowDuplicates, member: false)
        if dryRun { return try await commit(request, .undo, dryRun: true, context: context) }
        var entry = journal(.undo, undoOf: undoing, context: context)
        entry.entry.restoring = before.id
        let (change, auditId) = try await store.commit(request, journal: entry)
        return WriteOutcome(
            snapshot: change.snapshot, auditId: auditId, attempts: 1, changedFields: paths(change.changedFields))
    }

    /// The journal for one request's entries.
    func journal(_ operation: AuditOperation, undoOf: Int64? = nil, context: RequestContext) -> AuditJournal {
        auditLog.journal(
            AuditJournal.Entry(
                operation: operation, actor: context.actor, requestId: context.requestId, undoOf: undoOf,
                links: context.auditLinks))
    }
}
