public import ContactAudit
import ContactStore
import Foundation

/// Who asked, for the audit log, and where progress goes: what a method needs of its request
/// beyond the params, whatever protocol carried it.
public struct RequestContext: Sendable {
    /// The actor recorded on audit entries.
    public var actor: String?
    /// The request's id in its protocol (the JSON-RPC id), as text.
    public var requestId: String?
    /// Where a long method reports how far it got; `nil` when the caller cannot receive progress.
    public var progress: ProgressReporter?
    /// The group every audit entry written for this request joins (a merge, a bulk call, a label
    /// deletion, a group undo); `nil` for a request that changes one contact.
    public var groupId: String?
    /// The gateway process (run) the request is served by, recorded on every entry.
    public var runId: String?

    /// Creates a context.
    public init(actor: String?, requestId: String?, progress: ProgressReporter? = nil, groupId: String? = nil) {
        self.actor = actor
        self.requestId = requestId
        self.progress = progress
        self.groupId = groupId
    }

    /// What every audit entry written for this request records of its group and run.
    public var auditLinks: AuditLinks { AuditLinks(groupId: groupId, runId: runId) }

    /// This context with a new group id, unless it already has one.
    public func inGroup() -> RequestContext {
        var context = self
        if context.groupId == nil { context.groupId = "g-" + RandomUUID.lowercased() }
        return context
    }
}

/// How far a long method got: `completed` of `total` items (`total` is `nil` while unknown).
public struct ProgressUpdate: Sendable, Equatable {
    /// Items done so far.
    public var completed: Int
    /// All items, when known.
    public var total: Int?
    /// A short human-readable line, such as `"updated 400 of 1200 contacts"`.
    public var message: String?

    /// An update.
    public init(completed: Int, total: Int?, message: String?) {
        self.completed = completed
        self.total = total
        self.message = message
    }
}

/// Receives a method's ``ProgressUpdate``s; each front end turns them into its protocol's
/// notifications (`$/progress` on JSON-RPC, `notifications/progress` on MCP).
public struct ProgressReporter: Sendable {
    private let receive: @Sendable (ProgressUpdate) -> Void

    /// A reporter that passes each update to `receive`.
    public init(_ receive: @escaping @Sendable (ProgressUpdate) -> Void) {
        self.receive = receive
    }

    /// Reports one update.
    public func report(_ update: ProgressUpdate) {
        receive(update)
    }
}
