import FastSQLite
import Foundation
import GRDB
public import JSONCore
public import WixContacts

/// A filter and page over the audit log (`audit.history`).
public struct AuditHistoryQuery: Sendable {
    /// The most entries one page may hold.
    public static let maximumLimit = 1000

    /// Only this contact's entries.
    public var contactId: String?
    /// Only this group's entries.
    public var groupId: String?
    /// Only this run's entries.
    public var runId: String?
    /// Only entries of this operation.
    public var operation: AuditOperation?
    /// Only entries at or after this time (milliseconds since 1970).
    public var since: Int64?
    /// Only entries before this time (milliseconds since 1970).
    public var until: Int64?
    /// Page size, 1...1000.
    public var limit: Int
    /// Where the previous page ended (`nextCursor`), or `nil` for the first page.
    public var cursor: String?
    /// Newest first unless `false`.
    public var descending: Bool

    /// Creates a query; the defaults give the 50 newest entries.
    public init(
        contactId: String? = nil, groupId: String? = nil, runId: String? = nil, operation: AuditOperation? = nil,
        since: Int64? = nil, until: Int64? = nil, limit: Int = 50, cursor: String? = nil, descending: Bool = true
    ) {
        self.runId = runId
        self.contactId = contactId
        self.groupId = groupId
        self.operation = operation
        self.since = since
        self.until = until
        self.limit = limit
        self.cursor = cursor
        self.descending = descending
    }
}

/// One page of history.
public struct AuditHistoryPage: Sendable {
    /// The entries, in the order asked for.
    public var entries: [AuditEntry]
    /// Pass back as `cursor` for the next page; `nil` on the last page.
    public var nextCursor: String?
}

extension SQLiteAuditStore {
    /// Pages through entries with keyset paging on `auditId`: a page never repeats or skips an
    /// entry, however many entries are appended meanwhile.
    ///
    /// - Throws: `INVALID_ARGUMENT` for a cursor this log did not hand out.
    public func history(_ query: AuditHistoryQuery) async throws -> AuditHistoryPage {
        var conditions: [String] = ["state = 'settled'"]
        var arguments: [SQLArgument] = []
        if let runId = query.runId {
            conditions.append(CompactEntryColumns.runCondition)
            arguments += [.text(runId), .text(runId)]
        }
        if let groupId = query.groupId {
            conditions.append("group_id = ?")
            arguments.append(.text(groupId))
        }
        if let operation = query.operation {
            conditions.append("operation = ?")
            arguments.append(.text(operation.rawValue))
        }
        if let since = query.since {
            conditions.append("timestamp_ms >= ?")
            arguments.append(.int(since))
        }
        if let until = query.until {
            conditions.append("timestamp_ms < ?")
            arguments.append(.int(until))
        }
        let position = try AuditCursor.position(query.cursor, descending: query.descending)
        let limit = min(max(query.limit, 1), AuditHistoryQuery.maximumLimit)
        let condition = conditions.joined(separator: " AND ")
        let filters = arguments
        // A cached statement per filter combination; rows are read through the fast path.
        let rows = try await database.read { db in
            var rows: [AuditEntry]
            if let contactId = query.contactId {
                rows = try AuditHeads.page(
                    of: contactId, matching: condition, filters, from: position, descending: query.descending,
                    count: limit + 1, in: db)
            } else {
                var arguments = filters
                var whereClause = condition
                if let position {
                    whereClause += query.descending ? " AND audit_id < ?" : " AND audit_id > ?"
                    arguments.append(.int(position))
                }
                arguments.append(.int(limit + 1))
                rows = try db.cachedStatement(
                    sql: """
                        SELECT \(AuditEntry.columns) FROM audit_entry WHERE \(whereClause)
                        ORDER BY audit_id \(query.descending ? "DESC" : "ASC") LIMIT ?
                        """
                ).fetchAll(arguments: arguments, body: AuditEntry.init(row:))
            }
            try AuditEntry.resolveSnapshots(&rows, in: db)
            return rows
        }
        let entries = Array(rows.prefix(limit))
        let next =
            rows.count > limit ? entries.last.map { AuditCursor.encode($0.auditId, descending: query.descending) } : nil
        return AuditHistoryPage(entries: entries, nextCursor: next)
    }
}

/// Opaque cursors: base64url of `v1:<order>:<auditId>`.
public enum AuditCursor {
    /// The cursor of the page after `auditId`, in that order.
    public static func encode(_ auditId: Int64, descending: Bool) -> String {
        Data("v1:\(descending ? "d" : "a"):\(auditId)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The position `cursor` stands for (`nil` for none).
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `cursor` for one this store did not hand out.
    public static func position(_ cursor: String?, descending: Bool) throws(ContactsError) -> Int64? {
        guard let cursor else { return nil }
        guard let position = decode(cursor, descending: descending) else {
            throw ContactsError.invalidArgument([
                FieldViolation(field: "cursor", description: "Not a cursor from this list.", violatedRule: "FORMAT")
            ])
        }
        return position
    }

    /// The position a cursor stands for; `nil` when it is not one of ours for this order.
    public static func decode(_ cursor: String, descending: Bool) -> Int64? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 3, parts[0] == "v1", parts[1] == (descending ? "d" : "a") else { return nil }
        return Int64(parts[2])
    }
}
