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
        if let cursor = query.cursor {
            guard let position = HistoryCursor.decode(cursor, descending: query.descending) else {
                throw ContactsError.invalidArgument([
                    FieldViolation(field: "cursor", description: "Not a cursor from this history.", violatedRule: "FORMAT")
                ])
            }
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
        let next = rows.count > limit ? entries.last.map { HistoryCursor.encode($0.auditId, descending: query.descending) } : nil
        return AuditHistoryPage(entries, nextCursor: next)
    }
}

/// The SQLite log's opaque cursors: base64url of `v1:<order>:<auditId>`.
enum HistoryCursor {
    static func encode(_ auditId: Int64, descending: Bool) -> String {
        Data("v1:\(descending ? "d" : "a"):\(auditId)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String, descending: Bool) -> Int64? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 3, parts[0] == "v1", parts[1] == (descending ? "d" : "a") else { return nil }
        return Int64(parts[2])
    }
}
