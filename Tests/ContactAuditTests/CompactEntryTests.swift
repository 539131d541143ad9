import ContactAudit
import ContactStore
import Foundation
import GRDB
import JSONCore
import Testing
import WixContacts

/// Entries store their changed fields, timestamp and run compactly (`audit v6`), and every
/// reader, and the hash chain, sees them as recorded.
@Suite struct CompactEntryTests {
    /// The stored columns of entry `auditId`.
    func stored(_ fixture: AuditFixture, _ auditId: Int64) async throws -> Row {
        try await fixture.audit.database.read { db in
            try #require(
                try Row.fetchOne(
                    db,
                    sql: "SELECT * FROM audit_entry WHERE audit_id = ?",
                    arguments: [auditId]))
        }
    }

    func journal(_ log: SQLiteAuditStore, _ operation: AuditOperation, run: String) -> AuditJournal {
        log.journal(AuditJournal.Entry(operation: operation, actor: "t", requestId: nil, links: AuditLinks(runId: run)))
    }

    /// Creates a contact in `run`; returns its id and entry.
    func create(_ fixture: AuditFixture, _ info: JSONValue, run: String) async throws -> (id: String, auditId: Int64) {
        let request = ChangeRequest.create(
            patch: try ContactInfoPatch(json: info), allowDuplicates: false, member: false)
        let (change, auditId) = try await fixture.store.commit(
            request, journal: journal(fixture.audit, .create, run: run))
        return (change.after.id, auditId)
    }

    /// Updates contact `id` in `run` (through `log`, the fixture's unless given); returns the entry.
    func update(_ fixture: AuditFixture, _ id: String, _ info: JSONValue, run: String, log: SQLiteAuditStore? = nil)
        async throws -> Int64
    {
        let request = ChangeRequest.update(
            id: id, patch: try ContactInfoPatch(json: info), revision: nil, allowDuplicates: false)
        let journal = journal(log ?? fixture.audit, .update, run: run)
        return try await fixture.store.commit(request, journal: journal).recordId
    }

    @Test func entriesStoreCodesAndKeysAndReadAsRecorded() async throws {
        let fixture = try AuditFixture()
        let run = try await fixture.audit.startRun(AuditRunStart(actor: "ada", pid: 7, host: "h", version: "1"))
        let (id, createId) = try await create(fixture, ["name": ["first": "Ada"], "company": "Wix"], run: run)
        let updateId = try await update(fixture, id, ["labelKeys": ["items": []], "jobTitle": "CTO"], run: run)

        let row = try await stored(fixture, createId)
        #expect(row["changed_fields"] as String == "17")  // name (bit 0) and company (bit 4)
        #expect(row["timestamp"] as String == "")
        #expect(row["run_id"] as String? == nil)
        #expect(row["run_key"] as Int? == 1)
        #expect(try await stored(fixture, updateId)["changed_fields"] as String == "32")  // jobTitle

        let entry = try await fixture.audit.entry(id: createId)
        #expect(entry.changedFields == ["info.name", "info.company"])
        #expect(entry.timestamp == Timestamp.rfc3339(millisecondsSince1970: row["timestamp_ms"]))
        #expect(entry.links.runId == run)
        #expect(try await fixture.audit.entry(id: updateId).changedFields == ["info.jobTitle"])
        #expect(try await fixture.audit.run(run).map(\.auditId) == [createId, updateId])
        #expect(try await fixture.audit.runs(limit: 10, cursor: nil).runs.map(\.changes) == [2])
        let page = try await fixture.audit.history(AuditHistoryQuery(runId: run, limit: 10))
        #expect(page.entries.map(\.auditId) == [updateId, createId])
        #expect(try await fixture.audit.verify().ok)
    }

    /// A list the code cannot hold (out of wire order, a field it does not know) and a run the
    /// log has no row for are stored as text, and read the same.
    @Test func whatNoCodeHoldsIsStoredAsText() async throws {
        let fixture = try AuditFixture()
        var ids: [Int64] = []
        for fields in [["company", "name"], ["nickname"], ["company"]] {
            let auditId = try await fixture.audit.recordIntent(
                AuditIntentRecord(
                    contactId: "c1", operation: .update,
                    before: Snapshots.contact("c1", revision: ids.count + 1, company: nil),
                    patch: Snapshots.patch(company: "A"), actor: "ada", requestId: nil,
                    links: AuditLinks(runId: "r-unrecorded")))
            try await fixture.audit.settle(
                auditId, after: Snapshots.contact("c1", revision: ids.count + 2, company: "A"), changedFields: fields)
            ids.append(auditId)
        }
        #expect(try await stored(fixture, ids[0])["changed_fields"] as String == #"["info.company","info.name"]"#)
        #expect(try await stored(fixture, ids[1])["changed_fields"] as String == #"["info.nickname"]"#)
        #expect(try await stored(fixture, ids[2])["changed_fields"] as String == "16")
        #expect(try await stored(fixture, ids[2])["run_id"] as String? == "r-unrecorded")
        #expect(try await stored(fixture, ids[2])["run_key"] as Int? == nil)
        var read: [[String]] = []
        for id in ids { read.append(try await fixture.audit.entry(id: id).changedFields) }
        #expect(read == [["info.company", "info.name"], ["info.nickname"], ["info.company"]])
        #expect(try await fixture.audit.run("r-unrecorded").count == 3)
        #expect(try await fixture.audit.verify().ok)
    }

    /// An edit of what a compact column stands for is found by the chain check: the timestamp's
    /// milliseconds, the code, the run key.
    @Test(arguments: [
        "UPDATE audit_entry SET timestamp_ms = timestamp_ms + 1 WHERE audit_id = 2",
        "UPDATE audit_entry SET changed_fields = '1' WHERE audit_id = 2",
        "UPDATE audit_entry SET run_key = NULL, run_id = 'r-other' WHERE audit_id = 2",
        "UPDATE audit_run SET run_id = 'r-other'",
    ])
    func editsOfCompactColumnsAreFound(edit: String) async throws {
        let fixture = try AuditFixture()
        let run = try await fixture.audit.startRun(AuditRunStart(actor: "ada", pid: 7, host: "h", version: "1"))
        let (id, _) = try await create(fixture, ["name": ["first": "Ada"]], run: run)
        for title in ["A", "B"] { _ = try await update(fixture, id, ["jobTitle": .string(title)], run: run) }
        #expect(try await fixture.audit.verify().ok)
        try await fixture.audit.database.write { db in try db.execute(sql: edit) }
        let verification = try await fixture.audit.verify()
        #expect(!verification.ok)
        #expect(verification.firstBadAuditId == (edit.contains("audit_run") ? 1 : 2))
    }

    /// A log written before `audit v6` (full text in every column, runs without keys) is
    /// migrated without rewriting an entry: its entries read and verify as before, and a run
    /// that goes on after the upgrade lists its entries of both kinds.
    @Test func aLogFromBeforeCompactEntriesReadsTheSameAndItsRunsGoOn() async throws {
        let fixture = try AuditFixture()
        let run = try await fixture.audit.startRun(AuditRunStart(actor: "ada", pid: 7, host: "h", version: "1"))
        let (id, first) = try await create(fixture, ["name": ["first": "Ada"], "company": "Wix"], run: run)
        let second = try await update(fixture, id, ["company": "Acme"], run: run)
        let before = [try await fixture.audit.entry(id: first), try await fixture.audit.entry(id: second)]
        try await fixture.audit.database.write { db in try Self.asBeforeCompactEntries(db) }
        #expect(try await stored(fixture, first)["changed_fields"] as String == #"["info.name","info.company"]"#)
        #expect(try await stored(fixture, second)["run_id"] as String? == run)

        let reopened = try SQLiteAuditStore(database: fixture.store.database, clock: fixture.audit.clock)
        #expect(try await reopened.verify().ok)
        for entry in before {
            let read = try await reopened.entry(id: entry.auditId)
            #expect(read.changedFields == entry.changedFields)
            #expect(read.timestamp == entry.timestamp)
            #expect(read.links.runId == run)
        }
        // The run goes on (a gateway started before the upgrade names it again).
        #expect(
            try await reopened.startRun(AuditRunStart(actor: "ada", pid: 7, host: "h", version: "1", runId: run)) == run
        )
        let third = try await update(fixture, id, ["company": "Later"], run: run, log: reopened)
        #expect(try await stored(fixture, third)["run_key"] as Int? == 1)
        #expect(try await reopened.run(run).map(\.auditId) == [first, second, third])
        #expect(try await reopened.runs(limit: 5, cursor: nil).runs.map(\.changes) == [3])
        #expect(try await reopened.verify().ok)
    }

    /// Turns the file's log back into the layout before `audit v6`, its entries written in full.
    static func asBeforeCompactEntries(_ db: Database) throws {
        try db.execute(
            sql: """
                UPDATE audit_entry SET
                    run_id = (SELECT run_id FROM audit_run WHERE audit_run.run_key = audit_entry.run_key),
                    timestamp = strftime('%Y-%m-%dT%H:%M:%fZ', timestamp_ms / 1000.0, 'unixepoch'),
                    changed_fields = CASE changed_fields WHEN '17' THEN '["info.name","info.company"]'
                        WHEN '16' THEN '["info.company"]' ELSE changed_fields END;
                DROP INDEX audit_entry_on_run_key;
                ALTER TABLE audit_entry DROP COLUMN run_key;
                CREATE TABLE audit_run_v4 (
                    run_id TEXT PRIMARY KEY, started_at TEXT NOT NULL, started_ms INTEGER NOT NULL, actor TEXT,
                    pid INTEGER, host TEXT, version TEXT);
                INSERT INTO audit_run_v4 SELECT run_id, started_at, started_ms, actor, pid, host, version FROM audit_run;
                DROP TABLE audit_run;
                ALTER TABLE audit_run_v4 RENAME TO audit_run;
                CREATE INDEX audit_run_on_start ON audit_run(started_ms);
                DELETE FROM grdb_migrations WHERE identifier = 'audit v6: compact entries';
                """)
    }
}
