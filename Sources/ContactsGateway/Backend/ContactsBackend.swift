public import ContactAudit
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
    var audit: AuditLog { get }

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
    func undo(target: UndoTarget, mode: UndoMode, dryRun: Bool, context: RequestContext) async throws -> UndoOutcome
    func findOrCreateLabel(displayName: String) async throws -> JSONValue
    func findOrCreateExtendedField(displayName: String, dataType: String) async throws -> JSONValue
}

/// Which entry `contacts.undo` reverts.
public enum UndoTarget: Sendable {
    /// This entry.
    case auditId(Int64)
    /// The latest change to this contact that is not an undo and not yet undone.
    case latestChange(contactId: String)
}
