public import Foundation
public import JSONCore
public import WixContacts

/// Where the audit log lives: the seam between the gateway and the engine that keeps its
/// entries (SQLite today; PostgreSQL, shared by many gateways, next).
///
/// The gateway reads entries, pages through history and — for a remote backend, where the change
/// happens elsewhere — writes an intent before each remote call and settles or discards it after.
/// The embedded store instead appends each entry inside the transaction that writes its change,
/// through the store's `ChangeJournal` hook, which only an audit store in the same
/// SQLite file can offer (``SQLiteAuditStore/journal(_:)``).
///
/// ```swift
/// let audit: any AuditStore = try SQLiteAuditStore.open(path: "audit.sqlite", clock: clock)
/// let id = try await audit.recordIntent(AuditIntentRecord(contactId: id, operation: .update, before: snapshot, patch: info))
/// try await audit.settle(id, after: updated, changedFields: ["company"])
/// ```
public protocol AuditStore: Sendable {
    // MARK: Reading

    /// One settled entry.
    ///
    /// - Throws: `AUDIT_ENTRY_NOT_FOUND`.
    func entry(id: Int64) async throws -> AuditEntry

    /// The latest change to a contact that is not an undo and is not yet undone: what
    /// `contacts.undo` with a `contactId` reverts, so repeated calls walk back. `nil` when none.
    func latestUndoable(contactId: String) async throws -> AuditEntry?

    /// A page of settled entries (`audit.history`), keyset-paged on `auditId`.
    ///
    /// - Throws: `INVALID_ARGUMENT` for a cursor this store did not hand out.
    func history(_ query: AuditHistoryQuery) async throws -> AuditHistoryPage

    /// How many settled entries the log holds.
    func count() async throws -> Int

    /// Every settled entry of a group, oldest first.
    func group(_ groupId: String) async throws -> [AuditEntry]

    // MARK: Runs

    /// Records the start of a gateway process that may write, and returns its run id.
    func startRun(_ run: AuditRunStart) async throws -> String

    /// A page of runs, newest first (`audit.runs`).
    ///
    /// - Throws: `INVALID_ARGUMENT` for a cursor this store did not hand out.
    func runs(limit: Int, cursor: String?) async throws -> AuditRunPage

    /// Every settled entry a run wrote, oldest first.
    func run(_ runId: String) async throws -> [AuditEntry]

    // MARK: Outside changes and tamper evidence

    /// Records what was seen of contacts the log knows, when it is newer than the log's latest
    /// entry for them: an `external` entry each (`observed` `nil`: the contact was not found, so
    /// it was deleted outside). Contacts the log does not know, states it already has, and
    /// contacts with a change of this gateway in flight (an intent) are skipped. Returns the new
    /// entries' ids.
    func recordExternal(_ observations: [ExternalObservation], runId: String?) async throws -> [Int64]

    /// The contacts whose latest entry leaves them existing: those `audit.sync` expects to find.
    func knownContactIds() async throws -> [String]

    /// Recomputes the hash chain (``AuditChain``).
    func verify() async throws -> AuditVerification

    /// The contact an entry belongs to, answered synchronously (on the JSON-RPC reader thread, to
    /// order an undo by `auditId` behind earlier requests on its contact); `nil` when unknown.
    func contactId(ofEntry id: Int64) -> String?

    // MARK: Intents (changes made elsewhere)

    /// Records an intent before a remote call and returns its reserved entry id. Intents are
    /// invisible to history, `audit.get` and undo until settled.
    func recordIntent(_ intent: AuditIntentRecord) async throws -> Int64

    /// Settles an intent as done: the contact after (`nil`: deleted), and the `info` fields that
    /// changed. `restoredAs` marks an undo that recreated a deleted contact under a new id: the
    /// entry stays filed under the old id and links to `after`'s.
    func settle(_ auditId: Int64, after: ContactSnapshot?, changedFields: [String], restoredAs: Bool) async throws

    /// Drops an intent whose change did not happen: failed requests leave no entry.
    func discard(_ auditId: Int64) async throws

    /// Intents left unsettled (by a crash), oldest first.
    func pendingIntents() async throws -> [AuditIntent]
}

/// What an intent records before its remote call.
public struct AuditIntentRecord: Sendable {
    /// The contact; empty for a create (its id is not known before the call).
    public var contactId: String
    /// What is being done.
    public var operation: AuditOperation
    /// The contact before the change (`nil` for a create).
    public var before: ContactSnapshot?
    /// The `info` sent, so the outcome can be settled by reading the contact.
    public var patch: JSONValue
    /// Who makes the change.
    public var actor: String?
    /// The request that makes it.
    public var requestId: String?
    /// The entry an undo reverts.
    public var undoOf: Int64?
    /// Its group and links.
    public var links: AuditLinks

    /// Creates an intent record.
    public init(
        contactId: String, operation: AuditOperation, before: ContactSnapshot?, patch: JSONValue, actor: String?,
        requestId: String?, undoOf: Int64? = nil, links: AuditLinks = AuditLinks()
    ) {
        self.links = links
        self.contactId = contactId
        self.operation = operation
        self.before = before
        self.patch = patch
        self.actor = actor
        self.requestId = requestId
        self.undoOf = undoOf
    }
}

extension AuditStore {
    /// Settles an intent whose change left the contact at `after`.
    public func settle(_ auditId: Int64, after: ContactSnapshot, changedFields: [String]) async throws {
        try await settle(auditId, after: after, changedFields: changedFields, restoredAs: false)
    }
}

/// What is recorded of a gateway process when it starts.
public struct AuditRunStart: Sendable {
    /// The run's id, chosen by the process (so it can serve before the run is recorded).
    public var runId: String
    /// Who the process acts for by default.
    public var actor: String?
    /// The process id.
    public var pid: Int32
    /// The host name.
    public var host: String
    /// The gateway's version.
    public var version: String

    /// A run start.
    public init(
        actor: String?, pid: Int32, host: String, version: String,
        runId: String = "r-" + UUID().uuidString.lowercased()
    ) {
        self.runId = runId
        self.actor = actor
        self.pid = pid
        self.host = host
        self.version = version
    }
}

/// One run, as `audit.runs` lists it.
public struct AuditRun: Sendable {
    /// The run's id (`r-<uuid>`), as entries name it.
    public var runId: String
    /// When the process started, RFC 3339 UTC.
    public var startedAt: String
    /// Who the process acted for by default.
    public var actor: String?
    /// The process id.
    public var pid: Int32?
    /// The host it ran on.
    public var host: String?
    /// The gateway's version.
    public var version: String?
    /// Settled entries the run wrote.
    public var changes: Int

    /// `{runId, startedAt, actor, pid, host, version, changes}`.
    public var json: JSONValue {
        var object: JSONObject = ["runId": .string(runId), "startedAt": .string(startedAt)]
        object["actor"] = actor.map { .string($0) } ?? .null
        object["pid"] = pid.map { .int(Int($0)) } ?? .null
        object["host"] = host.map { .string($0) } ?? .null
        object["version"] = version.map { .string($0) } ?? .null
        object["changes"] = .int(changes)
        return .object(object)
    }
}

/// A page of runs.
public struct AuditRunPage: Sendable {
    /// The runs, newest first.
    public var runs: [AuditRun]
    /// Where the next page starts; `nil` on the last page.
    public var nextCursor: String?
}

/// A contact as the gateway saw it on the site: `snapshot` `nil` when it was not found.
public struct ExternalObservation: Sendable {
    /// The contact read.
    public var contactId: String
    /// What the site answered; `nil` for "not found".
    public var snapshot: ContactSnapshot?

    /// An observation.
    public init(contactId: String, snapshot: ContactSnapshot?) {
        self.contactId = contactId
        self.snapshot = snapshot
    }
}
