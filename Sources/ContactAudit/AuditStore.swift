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
