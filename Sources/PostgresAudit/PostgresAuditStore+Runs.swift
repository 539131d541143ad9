public import ContactAudit
import JSONCore
import Logging
import NIOCore
import PostgresNIO
public import WixContacts

/// Runs, outside changes and the chain check of ``AuditStore``, in PostgreSQL.
extension PostgresAuditStore {
    /// The first key of the locks that record one contact's outside changes once (`'cx'`).
    static let externalLockClass: Int32 = 0x6378

    public func startRun(_ run: AuditRunStart) async throws -> String {
        let millis = clock()
        _ = try await rows(
            """
            INSERT INTO audit_run (run_id, started_at, started_ms, actor, pid, host, version)
            VALUES (\(run.runId), \(Timestamp.rfc3339(millisecondsSince1970: millis)), \(millis), \(run.actor),
                \(Int(run.pid)), \(run.host), \(run.version))
            ON CONFLICT (run_id) DO NOTHING
            """)
        return run.runId
    }

    public func runs(limit: Int, cursor: String?) async throws -> AuditRunPage {
        let position = try AuditCursor.position(cursor, descending: true)
        let limit = min(max(limit, 1), 1000)
        let rows = try await rows(
            """
            SELECT seq, run_id, started_at, actor, pid, host, version,
                (SELECT count(*) FROM audit_entry e WHERE e.run_id = r.run_id AND e.state = 'settled')
            FROM audit_run r WHERE \(position)::bigint IS NULL OR seq < \(position) ORDER BY seq DESC LIMIT \(limit + 1)
            """)
        var runs: [AuditRun] = []
        var seqs: [Int64] = []
        for row in rows.prefix(limit) {
            let cells = row.makeRandomAccess()
            seqs.append(try cells[0].decode(Int64.self))
            runs.append(
                AuditRun(
                    stored: try cells[1].decode(String.self), startedAt: try cells[2].decode(String.self),
                    actor: try cells[3].decode(String?.self), pid: try cells[4].decode(Int32?.self),
                    host: try cells[5].decode(String?.self), version: try cells[6].decode(String?.self),
                    changes: try cells[7].decode(Int.self)))
        }
        let next = rows.count > limit ? seqs.last.map { AuditCursor.encode($0, descending: true) } : nil
        return AuditRunPage(runs, nextCursor: next)
    }

    public func run(_ runId: String) async throws -> [AuditEntry] {
        try await rows(
            """
            SELECT \(unescaped: EntryRow.columns) FROM audit_entry WHERE run_id = \(runId) AND state = 'settled'
            ORDER BY audit_id
            """
        ).map { try remember(EntryRow.entry($0)) }
    }

    public func knownContactIds() async throws -> [String] {
        try await rows(
            """
            SELECT contact_id FROM (
                SELECT DISTINCT ON (contact_id) contact_id, after_json IS NOT NULL AS exists_after, restored_as
                FROM audit_entry WHERE state = 'settled' AND contact_id <> ''
                ORDER BY contact_id, audit_id DESC
            ) latest WHERE exists_after AND restored_as IS NULL ORDER BY contact_id
            """
        ).map { try $0.decode(String.self) }
    }

    /// Records what was seen of contacts, as the SQLite log does: compared with each contact's
    /// latest settled entry under a per-contact transaction lock, so gateways on several
    /// machines seeing one outside change record it once.
    public func recordExternal(_ observations: [ExternalObservation], runId: String?) async throws -> [Int64] {
        var recorded: [Int64] = []
        for observation in observations {
            // Most reads find nothing new: one read settles that without a transaction.
            guard let latest = try await latestSettled(observation.contactId),
                Self.isNews(observation, latest: latest)
            else { continue }
            let clock = clock
            let id = try await perform { client, logger in
                try await client.withConnection { connection in
                    try await PostgresTransaction.run(on: connection, logger: logger) { connection in
                        try await Self.recordExternal(observation, runId: runId, on: connection, logger: logger, clock: clock)
                    }
                }
            }
            if let id { recorded.append(id) }
        }
        return recorded
    }

    /// The entry's state is newer than the log's (or the contact is gone and the log has it).
    static func isNews(_ observation: ExternalObservation, latest: AuditEntry) -> Bool {
        if latest.links.restoredAs != nil { return false }
        guard let observed = observation.snapshot else { return latest.after != nil }
        return observed.id == observation.contactId && observed.revision > (latest.revisionAfter ?? -1)
    }

    private func latestSettled(_ contactId: String) async throws -> AuditEntry? {
        try await rows(
            """
            SELECT \(unescaped: EntryRow.columns) FROM audit_entry WHERE contact_id = \(contactId) AND state = 'settled'
            ORDER BY audit_id DESC LIMIT 1
            """
        ).first.map(EntryRow.entry)
    }

    private static func recordExternal(
        _ observation: ExternalObservation, runId: String?, on connection: PostgresConnection, logger: Logger,
        clock: () -> Int64
    ) async throws -> Int64? {
        let id = observation.contactId
        _ = try await connection.query(
            "SELECT pg_advisory_xact_lock(\(externalLockClass), hashtext(\(id)))", logger: logger
        ).collect()
        guard
            let latestRow = try await connection.query(
                """
                SELECT \(unescaped: EntryRow.columns) FROM audit_entry WHERE contact_id = \(id) AND state = 'settled'
                ORDER BY audit_id DESC LIMIT 1
                """, logger: logger
            ).collect().first
        else { return nil }
        let latest = try EntryRow.entry(latestRow)
        guard isNews(observation, latest: latest) else { return nil }
        let inFlight = try await connection.query(
            "SELECT 1 FROM audit_entry WHERE contact_id = \(id) AND state = 'intent' LIMIT 1", logger: logger
        ).collect()
        if !inFlight.isEmpty { return nil }
        let known: ContactSnapshot? = latest.after.flatMap { after in
            latest.revisionAfter.map { ContactSnapshot(id: id, revision: $0, json: after) }
        }
        if observation.snapshot == nil && known == nil { return nil }
        var changed: [String] = []
        if let observed = observation.snapshot {
            let before = try known?.contact().info ?? ContactInfo()
            changed = try observed.contact().info.changedFields(comparedTo: before)
        }
        let fields = JSONValue.array(changed.map { .string("info." + $0) }).serializedString()
        let millis = clock()
        let after = observation.snapshot
        let inserted = try await connection.query(
            """
            INSERT INTO audit_entry (contact_id, operation, revision_before, revision_after, before_json, after_json,
                changed_fields, "timestamp", timestamp_ms, actor, request_id, state, run_id)
            VALUES (\(id), \(AuditOperation.external.rawValue), \(known?.revision), \(after?.revision),
                \(known.map { ByteBuffer(bytes: $0.json.bytes) }), \(after.map { ByteBuffer(bytes: $0.json.bytes) }),
                \(fields), \(Timestamp.rfc3339(millisecondsSince1970: millis)), \(millis), NULL, NULL, 'settled', \(runId))
            RETURNING audit_id
            """, logger: logger
        ).collect().first?.decode(Int64.self)
        if let inserted { try await PostgresChain.extend(connection, auditId: inserted, logger: logger) }
        return inserted
    }

    /// Recomputes the hash chain over every settled entry (one connection, rows streamed).
    public func verify() async throws -> AuditVerification {
        try await perform(unbounded: true) { client, logger in
            try await client.withConnection { connection in try await PostgresChain.verify(connection, logger: logger) }
        }
    }
}
