public import ContactAudit
import JSONCore
import NIOCore
import PostgresNIO
import WixContacts

extension PostgresAuditStore {
    /// Copies settled entries into this log, keeping their ids (so `undoOf`, `undoneBy` and
    /// cursors stay valid), in one transaction: a copy that fails leaves the log as it was.
    /// The log must hold no entry yet; the id sequence continues after the highest copied id.
    ///
    /// - Parameter nextPage: Returns the next entries in ascending id order, empty at the end.
    /// - Returns: How many entries were copied.
    /// - Throws: `INVALID_ARGUMENT` when the log is not empty; `UNAVAILABLE`.
    ///   - runs: The source's runs (any order); recorded unless already present.
    public func importEntries(
        runs: [AuditRun] = [], _ nextPage: @escaping @Sendable () async throws -> [AuditEntry]
    ) async throws -> Int {
        try await perform(unbounded: true) { client, logger in
            try await client.withConnection { connection in
                try await PostgresTransaction.run(on: connection, logger: logger) { connection in
                    try await connection.query("LOCK TABLE audit_entry IN EXCLUSIVE MODE", logger: logger)
                    let existing = try await connection.query("SELECT count(*) FROM audit_entry", logger: logger)
                        .collect().first?.decode(Int.self) ?? 0
                    guard existing == 0 else {
                        throw ContactsError.invalidArgument([
                            FieldViolation(
                                field: "to", description: "The PostgreSQL audit log already holds \(existing) entries; copy into an empty one.",
                                violatedRule: "EMPTY")
                        ])
                    }
                    try await connection.query("SET CONSTRAINTS ALL DEFERRED", logger: logger)
                    // Oldest first, so the runs list in the same order as in the source.
                    for run in runs.sorted(by: { $0.startedAt < $1.startedAt }) {
                        let millis = Timestamp.millisecondsSince1970(rfc3339: run.startedAt) ?? 0
                        try await connection.query(
                            """
                            INSERT INTO audit_run (run_id, started_at, started_ms, actor, pid, host, version)
                            VALUES (\(run.runId), \(run.startedAt), \(millis), \(run.actor), \(run.pid.map(Int.init)),
                                \(run.host), \(run.version))
                            ON CONFLICT (run_id) DO NOTHING
                            """, logger: logger)
                    }
                    var copied = 0
                    while true {
                        let page = try await nextPage()
                        if page.isEmpty { break }
                        for entry in page {
                            try await connection.query(Self.insert(entry), logger: logger)
                            try await PostgresChain.extend(connection, auditId: entry.auditId, logger: logger)
                        }
                        copied += page.count
                    }
                    try await connection.query(
                        """
                        SELECT setval(pg_get_serial_sequence('audit_entry', 'audit_id'),
                            GREATEST((SELECT max(audit_id) FROM audit_entry), 1), (SELECT count(*) > 0 FROM audit_entry))
                        """, logger: logger)
                    return copied
                }
            }
        }
    }

    private static func insert(_ entry: AuditEntry) -> PostgresQuery {
        let changed = JSONValue.array(entry.changedFields.map { .string($0) }).serializedString()
        let millis = Timestamp.millisecondsSince1970(rfc3339: entry.timestamp) ?? 0
        return """
            INSERT INTO audit_entry (audit_id, contact_id, operation, revision_before, revision_after, before_json,
                after_json, changed_fields, "timestamp", timestamp_ms, actor, request_id, undo_of, undone_by, state,
                group_id, merged_from, merged_into, restored_as, run_id)
            VALUES (\(entry.auditId), \(entry.contactId), \(entry.operation.rawValue), \(entry.revisionBefore),
                \(entry.revisionAfter), \(entry.before.map { ByteBuffer(bytes: $0.bytes) }), \(entry.after.map { ByteBuffer(bytes: $0.bytes) }), \(changed), \(entry.timestamp),
                \(millis), \(entry.actor), \(entry.requestId), \(entry.undoOf), \(entry.undoneBy), 'settled',
                \(entry.links.groupId), \(EntryRow.mergedFromText(entry.links)), \(entry.links.mergedInto),
                \(entry.links.restoredAs), \(entry.links.runId))
            """
    }
}
