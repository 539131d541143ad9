public import ContactAudit
public import ContactStore
public import JSONCore
public import WixContacts

/// A write the gateway made, with its audit entry.
public struct WriteOutcome: Sendable {
    /// The contact after the write (or as it would be, for a dry run).
    public var snapshot: ContactSnapshot
    /// The audit entry; `nil` for a dry run.
    public var auditId: Int64?
    /// How many update attempts `forceUpdate` needed.
    public var attempts: Int
    /// `info.*` paths that changed.
    public var changedFields: [String]
}

/// What the methods need from a backend: the contact operations with their audit entries.
/// The embedded store implements it with one SQLite transaction per change; the Wix REST
/// backend with an intent written before the remote call.
public protocol ContactsBackend: Sendable {
    /// `local` or `wix`: reported by `gateway.status`, never compared (see ``capabilities``).
    var name: String { get }
    /// What it can do beyond the operations below; the methods decide from these.
    var capabilities: BackendCapabilities { get }
    /// Where data lives, for `gateway.status` (a path or a URL without credentials).
    var location: String { get }
    /// The audit log.
    var audit: any AuditStore { get }
    /// What the one writer of an embedded store has done, for `gateway.status`; `nil` for a
    /// backend without one (the Wix REST API's writes are Wix's).
    var writerActivity: WriterActivity? { get }

    func get(id: String) async throws -> ContactSnapshot
    func update(
        id: String, patch: ContactInfoPatch, revision: Int, allowDuplicates: Bool, dryRun: Bool, context: RequestContext
    ) async throws -> WriteOutcome
    func forceUpdate(
        id: String, patch: ContactInfoPatch, allowDuplicates: Bool, maxAttempts: Int, context: RequestContext
    ) async throws -> WriteOutcome
    func create(patch: ContactInfoPatch, allowDuplicates: Bool, member: Bool, context: RequestContext) async throws
        -> WriteOutcome
    func query(_ query: ContactQuery) async throws -> ContactPage
    /// Writes an undo of entry `undoing`: `patch` restores its fields on top of the contact at
    /// `revision` (else `CONTACT_ALREADY_CHANGED`), and the new entry records `undoOf`. With
    /// `dryRun`, reports the would-be contact and writes nothing. ``UndoCoordinator`` plans it.
    func restore(
        id: String, patch: ContactInfoPatch, revision: Int, undoing: Int64, dryRun: Bool, context: RequestContext
    ) async throws -> WriteOutcome
    /// Deletes a contact (at `revision`, when given: else `CONTACT_ALREADY_CHANGED`); with
    /// `undoing`, the entry is that create's undo. Returns the entry's id.
    ///
    /// - Throws: `CONTACT_NOT_FOUND`, `CANNOT_DELETE_SITE_MEMBERS`.
    func delete(id: String, revision: Int?, undoing: Int64?, context: RequestContext) async throws -> Int64
    /// Label Contact (`adding`) / Unlabel Contact (`removing`), audited as `label` / `unlabel`.
    func relabel(id: String, adding: [String], removing: [String], context: RequestContext) async throws
        -> WriteOutcome
    /// What a merge would make of the target; writes nothing.
    func previewMerge(targetId: String, sourceIds: [String]) async throws -> ContactSnapshot
    /// Merges the sources into the target: one `merge` entry for the target and one `delete`
    /// entry per source, all in `context`'s group (which must be set).
    func merge(targetId: String, sourceIds: [String], targetRevision: Int?, context: RequestContext) async throws
        -> WriteOutcome
    /// Deletes a label; each contact that loses it gets an `unlabel` entry in `context`'s group.
    /// Returns how many contacts lost it.
    func deleteLabel(key: String, context: RequestContext) async throws -> Int
    /// Undoes a delete: creates the contact again from `before` (a new id), recorded as an undo
    /// of `undoing` filed under the old id, with `restoredAs`. With `dryRun`, writes nothing.
    func recreate(
        _ before: ContactSnapshot, allowDuplicates: Bool, undoing: Int64, dryRun: Bool, context: RequestContext
    ) async throws -> WriteOutcome
    /// Records the outside changes among `contacts`, just read from the site, as `external`
    /// entries; returns how many. The embedded store has no outside: 0.
    func observe(_ contacts: [ContactSnapshot]) async throws -> Int
    /// The Wix operations underneath, unaudited: the embedded store, or the REST client.
    /// Operations that change no contact (labels, extended fields) are served from it directly,
    /// the same way for every backend.
    var service: any ContactsService { get }
}
