public import ContactAudit
public import ContactStore
public import Foundation
public import JSONCore
public import Logging
public import WixContacts

/// The Wix REST backend. Every change follows SPEC §6's intent protocol: an intent row is written
/// before the remote call and settled after it; intents a crash left unsettled are settled at the
/// next start by reading the contact. So a crash between the call and its record loses nothing
/// and invents nothing.
public struct WixBackend: ContactsBackend {
    /// The REST client.
    public let client: WixContactsClient
    public let audit: any AuditStore
    public let location: String
    public var name: String { "wix" }
    /// None: the writes are Wix's (its audit log's own writes are not counted).
    public var writerActivity: WriterActivity? { nil }
    let cache = SnapshotCache()
    let logger: Logger

    /// A backend over `client`, auditing into `audit`.
    public init(client: WixContactsClient, baseURL: URL, audit: any AuditStore, logger: Logger) {
        self.client = client
        self.audit = audit
        location = baseURL.absoluteString
        self.logger = logger
    }

    /// A backend over `client`, auditing into the SQLite file at `auditPath`; another process's
    /// lock on that file is waited out for up to `busyTimeout` seconds.
    public init(
        client: WixContactsClient, baseURL: URL, auditPath: String, clock: @escaping @Sendable () -> Int64,
        busyTimeout: TimeInterval = 10, logger: Logger
    ) throws {
        let audit = try SQLiteAuditStore.open(path: auditPath, clock: clock, busyTimeout: busyTimeout)
        self.init(client: client, baseURL: baseURL, audit: audit, logger: logger)
    }

    /// Reads the contact; a newer state than the audit log knows (or its absence) is recorded
    /// first as an `external` entry (a change made outside the gateway).
    public func get(id: String) async throws -> ContactSnapshot {
        let snapshot: ContactSnapshot
        do {
            snapshot = try await client.contact(id: id)
        } catch let error as ContactsError where error.code == .contactNotFound {
            _ = try await audit.recordExternal([ExternalObservation(contactId: id, snapshot: nil)], runId: nil)
            throw error
        }
        _ = try await audit.recordExternal([ExternalObservation(contactId: id, snapshot: snapshot)], runId: nil)
        cache.remember(snapshot)
        return snapshot
    }

    public func update(
        id: String, patch: ContactInfoPatch, revision: Int, allowDuplicates: Bool, dryRun: Bool, context: RequestContext
    ) async throws -> WriteOutcome {
        if dryRun { return try await dryRunUpdate(id: id, patch: patch, revision: revision, allowDuplicates: allowDuplicates) }
        return try await change(
            .update, id: id, atRevision: revision, patch: patch, allowDuplicates: allowDuplicates, context: context)
    }

    public func forceUpdate(
        id: String, patch: ContactInfoPatch, allowDuplicates: Bool, maxAttempts: Int, context: RequestContext
    ) async throws -> WriteOutcome {
        var attempt = 0
        var before = try await snapshot(id, atRevision: nil)
        while true {
            attempt += 1
            do {
                var outcome = try await change(
                    .forceUpdate, id: id, before: before, patch: patch, allowDuplicates: allowDuplicates,
                    context: context)
                outcome.attempts = attempt
                return outcome
            } catch let error as ContactsError where error.code == .contactAlreadyChanged && attempt < maxAttempts {
                before = try await get(id: id)
            }
        }
    }

    public func create(patch: ContactInfoPatch, allowDuplicates: Bool, member: Bool, context: RequestContext)
        async throws
        -> WriteOutcome
    {
        let startedAt = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let auditId = try await audit.recordIntent(
            AuditIntentRecord(
                contactId: "", operation: .create, before: nil, patch: .object(patch.json), actor: context.actor,
                requestId: context.requestId, links: context.auditLinks))
        let after: ContactSnapshot
        do {
            after = try await client.createContact(info: patch, allowDuplicates: allowDuplicates)
        } catch let error as ContactsError where error.httpStatus < 500 {
            try await audit.discard(auditId)
            throw error
        } catch {
            // The client settles what it can; whatever it could not prove either way is settled
            // here once more, and failing that at the next start.
            _ = try? await settleCreate(auditId: auditId, patch: patch, since: startedAt)
            throw error
        }
        cache.remember(after)
        let changed = try after.contact().info.changedFields(comparedTo: ContactInfo())
        try await audit.settle(auditId, after: after, changedFields: changed)
        return WriteOutcome(snapshot: after, auditId: auditId, attempts: 1, changedFields: paths(changed))
    }

    /// An undo through the same intent protocol as any change; its dry run computes the
    /// would-be contact as ``dryRunUpdate(id:patch:revision:allowDuplicates:)`` does.
    public func restore(
        id: String, patch: ContactInfoPatch, revision: Int, undoing auditId: Int64, dryRun: Bool,
        context: RequestContext
    ) async throws -> WriteOutcome {
        if dryRun { return try await dryRunUpdate(id: id, patch: patch, revision: revision, allowDuplicates: false) }
        return try await change(
            .undo, id: id, atRevision: revision, patch: patch, allowDuplicates: false, context: context,
            undoOf: auditId)
    }

    public func query(_ query: ContactQuery) async throws -> ContactPage {
        let page = try await client.queryContacts(query)
        _ = try await observe(page.contacts)
        page.contacts.forEach(cache.remember)
        return page
    }

    public var service: any ContactsService { client }

    /// Records the outside changes among `contacts` (see ``get(id:)``); returns how many.
    public func observe(_ contacts: [ContactSnapshot]) async throws -> Int {
        try await audit.recordExternal(
            contacts.map { ExternalObservation(contactId: $0.id, snapshot: $0) }, runId: nil
        ).count
    }


    // MARK: - The intent protocol

    /// ``change(_:id:before:patch:allowDuplicates:context:undoOf:)`` of the contact at `revision`
    /// (from the cache when it holds that revision, else read); `CONTACT_ALREADY_CHANGED` when
    /// the contact is at another.
    private func change(
        _ operation: AuditOperation, id: String, atRevision revision: Int, patch: ContactInfoPatch,
        allowDuplicates: Bool, context: RequestContext, undoOf: Int64? = nil
    ) async throws -> WriteOutcome {
        let before = try await snapshot(id, atRevision: revision)
        guard before.revision == revision else {
            throw ContactsError.contactAlreadyChanged(currentRevision: before.revision)
        }
        return try await change(
            operation, id: id, before: before, patch: patch, allowDuplicates: allowDuplicates, context: context,
            undoOf: undoOf)
    }

    /// Intent, remote PATCH, settle; a definite failure discards the intent, an unknown outcome
    /// is settled right away by reading the contact (and otherwise at the next start).
    func change(
        _ operation: AuditOperation, id: String, before: ContactSnapshot, patch: ContactInfoPatch,
        allowDuplicates: Bool,
        context: RequestContext, undoOf: Int64? = nil
    ) async throws -> WriteOutcome {
        try await change(operation, id: id, before: before, recording: patch, context: context, undoOf: undoOf) {
            try await client.updateContact(
                id: id, patch: patch, revision: before.revision, allowDuplicates: allowDuplicates)
        }
    }

    /// The intent protocol around any remote call that changes one contact: `recording` is the
    /// update the call amounts to (what settlement looks for in the contact after a crash).
    func change(
        _ operation: AuditOperation, id: String, before: ContactSnapshot, recording patch: ContactInfoPatch,
        context: RequestContext, undoOf: Int64? = nil, remote: () async throws -> ContactSnapshot
    ) async throws -> WriteOutcome {
        let auditId = try await audit.recordIntent(
            AuditIntentRecord(
                contactId: id, operation: operation, before: before, patch: .object(patch.json), actor: context.actor,
                requestId: context.requestId, undoOf: undoOf, links: context.auditLinks))
        let after: ContactSnapshot
        do {
            after = try await remote()
        } catch let error as ContactsError where error.httpStatus < 500 {
            try await audit.discard(auditId)
            throw error
        } catch {
            _ = try? await settle(auditId: auditId, id: id, before: before, patch: patch)
            throw error
        }
        cache.remember(after)
        let changed = try after.contact().info.changedFields(comparedTo: before.contact().info)
        try await audit.settle(auditId, after: after, changedFields: changed)
        return WriteOutcome(snapshot: after, auditId: auditId, attempts: 1, changedFields: paths(changed))
    }

    /// Settles one intent by reading the contact: revision moved by one and the patch shows →
    /// settled; otherwise the change did not happen (or cannot be proven) → discarded.
    @discardableResult
    func settle(auditId: Int64, id: String, before: ContactSnapshot?, patch: ContactInfoPatch) async throws -> Bool {
        guard let before, !id.isEmpty else {
            try await audit.discard(auditId)
            return false
        }
        let current: ContactSnapshot
        do {
            current = try await client.contact(id: id)
        } catch let error as ContactsError where error.code == .contactNotFound {
            try await audit.discard(auditId)
            return false
        }
        if try UpdateSettlement.landed(patch, sentAt: before.revision, current: current) {
            let changed = try current.contact().info.changedFields(comparedTo: before.contact().info)
            try await audit.settle(auditId, after: current, changedFields: changed)
            return true
        }
        try await audit.discard(auditId)
        return false
    }

    /// Settles a create's intent by looking for the contact it may have made
    /// (``CreateSettlement``): found → settled with it; not found → discarded.
    @discardableResult
    func settleCreate(auditId: Int64, patch: ContactInfoPatch, since: Int64) async throws -> Bool {
        guard let created = try await client.createdContact(patch, since: since) else {
            try await audit.discard(auditId)
            return false
        }
        cache.remember(created)
        let changed = try created.contact().info.changedFields(comparedTo: ContactInfo())
        try await audit.settle(auditId, after: created, changedFields: changed)
        return true
    }

    /// Settles every intent a previous run left behind. Called at start-up.
    public func settlePendingIntents() async throws {
        for intent in try await audit.pendingIntents() {
            let patch = try? ContactInfoPatch(json: intent.patch)
            let settled: Bool
            if let kind = RemoteIntent(json: intent.patch) {
                settled = try await settle(intent, kind)
            } else if let patch, intent.operation == .create {
                settled = try await settleCreate(auditId: intent.auditId, patch: patch, since: intent.recordedAt)
            } else if let patch {
                settled = try await settle(
                    auditId: intent.auditId, id: intent.contactId, before: intent.before, patch: patch)
            } else {
                try await audit.discard(intent.auditId)
                settled = false
            }
            logger.notice(
                "Settled an audit intent left by an earlier run.",
                metadata: ["auditId": "\(intent.auditId)", "outcome": "\(settled ? "applied" : "not applied")"])
        }
    }

    /// The cached snapshot at `revision`, else a fresh read.
    private func snapshot(_ id: String, atRevision revision: Int?) async throws -> ContactSnapshot {
        if let cached = cache.snapshot(id, revision: revision) { return cached }
        return try await get(id: id)
    }
}
