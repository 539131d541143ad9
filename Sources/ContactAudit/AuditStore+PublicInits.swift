public import JSONCore
public import WixContacts

extension AuditEntry {
    /// An entry from its stored parts, for audit stores in other modules (PostgreSQL). (The
    /// synthesized memberwise initializer is internal, and cannot be redeclared public.)
    public init(
        stored auditId: Int64, contactId: String, operation: AuditOperation, revisionBefore: Int?, revisionAfter: Int?,
        before: RawJSON?, after: RawJSON?, changedFields: [String], timestamp: String, actor: String?,
        requestId: String?, undoOf: Int64?, undoneBy: Int64?, links: AuditLinks = AuditLinks()
    ) {
        self.auditId = auditId
        self.contactId = contactId
        self.operation = operation
        self.revisionBefore = revisionBefore
        self.revisionAfter = revisionAfter
        self.before = before
        self.after = after
        self.changedFields = changedFields
        self.timestamp = timestamp
        self.actor = actor
        self.requestId = requestId
        self.undoOf = undoOf
        self.undoneBy = undoneBy
        self.links = links
    }
}

extension AuditHistoryPage {
    /// A page, for audit stores in other modules.
    public init(_ entries: [AuditEntry], nextCursor: String?) {
        self.init(entries: entries, nextCursor: nextCursor)
    }
}

extension AuditIntent {
    /// An intent from its stored parts, for audit stores in other modules.
    public init(
        stored auditId: Int64, contactId: String, operation: AuditOperation, before: ContactSnapshot?, patch: JSONValue,
        undoOf: Int64?, recordedAt: Int64, links: AuditLinks
    ) {
        self.init(
            auditId: auditId, contactId: contactId, operation: operation, before: before, patch: patch, undoOf: undoOf,
            recordedAt: recordedAt, links: links)
    }
}

extension AuditRun {
    /// A run from its stored parts, for audit stores in other modules.
    public init(
        stored runId: String, startedAt: String, actor: String?, pid: Int32?, host: String?, version: String?,
        changes: Int
    ) {
        self.init(
            runId: runId, startedAt: startedAt, actor: actor, pid: pid, host: host, version: version, changes: changes)
    }
}

extension AuditRunPage {
    /// A page of runs, for audit stores in other modules.
    public init(_ runs: [AuditRun], nextCursor: String?) {
        self.init(runs: runs, nextCursor: nextCursor)
    }
}

extension AuditVerification {
    /// A verification result, for audit stores in other modules.
    public init(ok: Bool, entries: Int, headHash: String?, firstBadAuditId: Int64?, reason: String?, stored: Void = ())
    {
        self.init(ok: ok, entries: entries, headHash: headHash, firstBadAuditId: firstBadAuditId, reason: reason)
    }
}
