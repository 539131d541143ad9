import ContactAudit
import ContactStore
import ContactsGateway
import PostgresAudit
import WixContacts

/// A backend whose single-contact changes run under the shared log's contact lock from the first
/// read of the contact to the settlement of its entry, so gateways on many machines change one
/// contact one at a time: a forceUpdate reads, writes its intent, calls Wix and settles while no
/// other gateway can move the contact, and never starves behind gateways whose cached copy is
/// fresher. Intents recorded inside reuse the held lock (``PostgresAuditStore/withContactLock(_:_:)``).
/// Merges, which change several contacts, take each contact's lock per intent instead, so two
/// gateways merging crosswise cannot deadlock. Everything else is passed through.
struct ContactLockingBackend: ContactsBackend {
    let inner: any ContactsBackend
    let log: PostgresAuditStore

    var name: String { inner.name }
    var capabilities: BackendCapabilities { inner.capabilities }
    var location: String { inner.location }
    var audit: any AuditStore { inner.audit }
    var writerActivity: WriterActivity? { inner.writerActivity }
    var service: any ContactsService { inner.service }

    /// `body` under the contact's lock, unless it only previews (`dryRun`: nothing to settle).
    private func locking<T: Sendable>(_ id: String, unless dryRun: Bool, _ body: () async throws -> T)
        async throws -> T
    {
        if dryRun { return try await body() }
        return try await log.withContactLock(id, body)
    }

    func get(id: String) async throws -> ContactSnapshot { try await inner.get(id: id) }

    func observe(_ contacts: [ContactSnapshot]) async throws -> Int { try await inner.observe(contacts) }

    func update(
        id: String, patch: ContactInfoPatch, revision: Int, allowDuplicates: Bool, dryRun: Bool, context: RequestContext
    ) async throws -> WriteOutcome {
        try await locking(id, unless: dryRun) {
            try await inner.update(
                id: id, patch: patch, revision: revision, allowDuplicates: allowDuplicates, dryRun: dryRun,
                context: context)
        }
    }

    func forceUpdate(
        id: String, patch: ContactInfoPatch, allowDuplicates: Bool, maxAttempts: Int, context: RequestContext
    ) async throws -> WriteOutcome {
        try await log.withContactLock(id) {
            try await inner.forceUpdate(
                id: id, patch: patch, allowDuplicates: allowDuplicates, maxAttempts: maxAttempts, context: context)
        }
    }

    func create(patch: ContactInfoPatch, allowDuplicates: Bool, member: Bool, context: RequestContext) async throws
        -> WriteOutcome
    {
        try await inner.create(patch: patch, allowDuplicates: allowDuplicates, member: member, context: context)
    }

    func query(_ query: ContactQuery) async throws -> ContactPage { try await inner.query(query) }

    func restore(
        id: String, patch: ContactInfoPatch, revision: Int, undoing: Int64, dryRun: Bool, context: RequestContext
    ) async throws -> WriteOutcome {
        try await locking(id, unless: dryRun) {
            try await inner.restore(
                id: id, patch: patch, revision: revision, undoing: undoing, dryRun: dryRun, context: context)
        }
    }

    func delete(id: String, revision: Int?, undoing: Int64?, context: RequestContext) async throws -> Int64 {
        try await log.withContactLock(id) {
            try await inner.delete(id: id, revision: revision, undoing: undoing, context: context)
        }
    }

    func relabel(id: String, adding: [String], removing: [String], context: RequestContext) async throws
        -> WriteOutcome
    {
        try await log.withContactLock(id) {
            try await inner.relabel(id: id, adding: adding, removing: removing, context: context)
        }
    }

    func previewMerge(targetId: String, sourceIds: [String]) async throws -> ContactSnapshot {
        try await inner.previewMerge(targetId: targetId, sourceIds: sourceIds)
    }

    func merge(targetId: String, sourceIds: [String], targetRevision: Int?, context: RequestContext) async throws
        -> WriteOutcome
    {
        try await inner.merge(
            targetId: targetId, sourceIds: sourceIds, targetRevision: targetRevision, context: context)
    }

    func deleteLabel(key: String, context: RequestContext) async throws -> Int {
        try await inner.deleteLabel(key: key, context: context)
    }

    func recreate(
        _ before: ContactSnapshot, allowDuplicates: Bool, undoing: Int64, dryRun: Bool, context: RequestContext
    ) async throws -> WriteOutcome {
        try await inner.recreate(
            before, allowDuplicates: allowDuplicates, undoing: undoing, dryRun: dryRun, context: context)
    }
}
