public import JSONCore

extension AuditEntry {
    /// An entry from its stored parts, for audit stores in other modules (PostgreSQL).
    public init(
        auditId: Int64, contactId: String, operation: AuditOperation, revisionBefore: Int?, revisionAfter: Int?,
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
