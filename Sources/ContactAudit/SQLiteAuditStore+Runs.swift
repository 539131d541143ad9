import Foundation
public import GRDB
import JSONCore
public import WixContacts

/// Runs, outside changes and the chain check of ``AuditStore``, in SQLite.
extension SQLiteAuditStore {
    public func startRun(_ run: AuditRunStart) async throws -> String {
        let runId = run.runId
        let millis = clock()
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO audit_run (run_id, started_at, started_ms, actor, pid, host, version)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    runId, Timestamp.rfc3339(millisecondsSince1970: millis), millis, run.actor, Int(run.pid), run.host,
                    run.version,
                ])
        }
        return runId
    }

    public func runs(limit: Int, cursor: String?) async throws -> AuditRunPage {
        let position = try AuditCursor.position(cursor, descending: true)
        let limit = min(max(limit, 1), 1000)
        let rows = try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT run_key, run_id, started_at, actor, pid, host, version,
                        (SELECT COUNT(*) FROM audit_entry e
                            WHERE (e.run_key = r.run_key OR e.run_id = r.run_id) AND e.state = 'settled') AS changes
                    FROM audit_run r WHERE (? IS NULL OR run_key < ?) ORDER BY run_key DESC LIMIT ?
                    """,
                arguments: [position, position, limit + 1])
        }
        let runs = rows.prefix(limit).map { row in
            AuditRun(
                runId: row["run_id"], startedAt: row["started_at"], actor: row["actor"],
                pid: (row["pid"] as Int64?).map { Int32($0) }, host: row["host"], version: row["version"],
                changes: row["changes"])
        }
        let last: Int64? = rows.count > limit ? rows[limit - 1]["run_key"] : nil
        return AuditRunPage(runs: Array(runs), nextCursor: last.map { AuditCursor.encode($0, descending: true) })
    }

    public func run(_ runId: String) async throws -> [AuditEntry] {
        try await settledEntries(where: CompactEntryColumns.runCondition, [.text(runId), .text(runId)])
    }

    public func recordExternal(_ observations: [ExternalObservation], runId: String?) async throws -> [Int64] {
        guard !observations.isEmpty else { return [] }
        // Most reads find nothing new: a read settles that without taking the write lock.
        let candidates = try await database.read { db in
            try observations.filter { observation in
                let latest = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT revision_after, revision_after IS NOT NULL AS exists_after, restored_as FROM audit_entry
                        WHERE audit_id = ?
                        """,
                    arguments: [AuditHeads.latest(of: observation.contactId, in: db)])
                guard let latest, (latest["restored_as"] as String?) == nil else { return false }
                guard let observed = observation.snapshot else { return latest["exists_after"] as Bool? ?? false }
                return observed.id == observation.contactId
                    && observed.revision > (latest["revision_after"] as Int? ?? -1)
            }
        }
        guard !candidates.isEmpty else { return [] }
        let clock = self.clock
        return try await database.write { db in
            var recorded: [Int64] = []
            for observation in candidates {
                if let id = try Self.recordExternal(db, observation, runId: runId, clock: clock) { recorded.append(id) }
            }
            return recorded
        }
    }

    /// One observation, inside the caller's write transaction: compared with the contact's
    /// latest settled entry, so two gateways seeing the same change record it once.
    static func recordExternal(_ db: Database, _ observation: ExternalObservation, runId: String?, clock: () -> Int64)
        throws -> Int64?
    {
        let id = observation.contactId
        guard
            let head = try AuditHeads.latest(of: id, in: db),
            let latest = try db.cachedStatement(sql: "SELECT \(AuditEntry.columns) FROM audit_entry WHERE audit_id = ?")
                .fetchFirst(.int(head), body: AuditEntry.init(row:))
        else { return nil }  // a contact the log does not know
        // The latest entry restored the contact under another id: the old id is gone for good.
        if latest.links.restoredAs != nil { return nil }
        // The few unsettled entries have an index of their own (`audit_entry_on_state`).
        let inFlight = try Bool.fetchOne(
            db,
            sql: "SELECT 1 FROM audit_entry WHERE state <> 'settled' AND state = 'intent' AND contact_id = ? LIMIT 1",
            arguments: [id])
        if inFlight == true { return nil }
        let known: ContactSnapshot? = latest.after.flatMap { after in
            latest.revisionAfter.map { ContactSnapshot(id: id, revision: $0, json: after) }
        }
        let observed = observation.snapshot
        if let observed {
            // A get of a merged-away id answers its target: that is the target's state, not this one's.
            guard observed.id == id else { return nil }
            if let known, observed.revision <= known.revision { return nil }
        } else if known == nil {
            return nil  // already recorded as gone
        }
        var changed: [String] = []
        if let observed {
            let before = try known?.contact().info ?? ContactInfo()
            changed = try observed.contact().info.changedFields(comparedTo: before)
        }
        return try append(
            db,
            AuditRecord(
                contactId: id, operation: .external, before: known, after: observed, changedFields: changed, actor: nil,
                requestId: nil, links: AuditLinks(runId: runId)),
            clock: clock)
    }

    public func knownContactIds() async throws -> [String] {
        try await database.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT e.contact_id FROM audit_entry e
                    JOIN (\(AuditHeads.all(in: db))) l ON e.audit_id = l.latest
                    WHERE e.revision_after IS NOT NULL AND e.restored_as IS NULL AND e.contact_id <> ''
                    ORDER BY e.contact_id
                    """)
        }
    }

    public func verify() async throws -> AuditVerification {
        try await database.read { db in try AuditChain.verify(db) }
    }
}
