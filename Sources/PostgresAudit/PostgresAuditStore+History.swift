public import ContactAudit
import Foundation
import PostgresNIO
import WixContacts

extension PostgresAuditStore {
    /// Pages through settled entries keyset-paged on `auditId`, with the SQLite log's filters and
    /// cursor format (`v1:<order>:<auditId>`, base64url), so a client cannot tell the stores apart.
    ///
    /// - Throws: `INVALID_ARGUMENT` for a cursor this log did not hand out.
    public func history(_ query: AuditHistoryQuery) async throws -> AuditHistoryPage {
        var conditions = ["state = 'settled'"]
        var bindings = PostgresBindings()
        func bind(_ condition: String, _ value: some PostgresDynamicTypeEncodable) {
            bindings.append(value)
            conditions.append(condition.replacingOccurrences(of: "?", with: "$\(bindings.count)"))
        }
        if let contactId = query.contactId { bind("contact_id = ?", contactId) }
        if let groupId = query.groupId { bind("group_id = ?", groupId) }
        if let operation = query.operation { bind("operation = ?", operation.rawValue) }
        if let since = query.since { bind("timestamp_ms >= ?", since) }
        if let until = query.until { bind("timestamp_ms < ?", until) }
        if let runId = query.runId { bind("run_id = ?", runId) }
        if let position = try AuditCursor.position(query.cursor, descending: query.descending) {
            bind(query.descending ? "audit_id < ?" : "audit_id > ?", position)
        }
        let limit = min(max(query.limit, 1), AuditHistoryQuery.maximumLimit)
        bindings.append(limit + 1)
        let sql = """
            SELECT \(EntryRow.columns) FROM audit_entry WHERE \(conditions.joined(separator: " AND "))
            ORDER BY audit_id \(query.descending ? "DESC" : "ASC") LIMIT $\(bindings.count)
            """
        let rows = try await rows(PostgresQuery(unsafeSQL: sql, binds: bindings)).map { try remember(EntryRow.entry($0)) }
        let entries = Array(rows.prefix(limit))
        let next = rows.count > limit ? entries.last.map { AuditCursor.encode($0.auditId, descending: query.descending) } : nil
        return AuditHistoryPage(entries, nextCursor: next)
    }
}
