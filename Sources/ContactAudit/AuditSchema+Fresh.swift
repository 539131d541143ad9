import GRDB

extension AuditSchema {
    /// Where the hash chain starts (`audit v4`): after the entries already in the log.
    static let chainStart = """
        INSERT INTO audit_chain_start (started_at_audit_id, started_at, entries_before)
            SELECT COALESCE(MAX(audit_id), 0) + 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), COUNT(*)
            FROM audit_entry;
        """

    /// A new log's schema at once: what every migration up to `audit v7` leaves, each object in
    /// the text SQLite keeps for it after them (so `audit_entry`'s columns added by `ALTER TABLE`
    /// on its last line), the chain's start, and the triggers on the store's `contact` table when
    /// the file has one. `FreshSchemaTests` compare it with the migrations replayed: a migration
    /// added later changes this too, and the test prints the text to put here.
    static func createFresh(_ db: Database) throws {
        try db.execute(sql: freshSchema + chainStart)
        try ContactRowAfters.install(db)
    }

    private static let freshSchema = """
        CREATE TABLE audit_entry (
            audit_id INTEGER PRIMARY KEY AUTOINCREMENT,
            contact_id TEXT NOT NULL,
            operation TEXT NOT NULL,
            revision_before INTEGER,
            revision_after INTEGER,
            before_json BLOB,
            after_json BLOB,
            changed_fields TEXT NOT NULL,
            timestamp TEXT NOT NULL,
            timestamp_ms INTEGER NOT NULL,
            actor TEXT,
            request_id TEXT,
            undo_of INTEGER REFERENCES audit_entry(audit_id),
            undone_by INTEGER REFERENCES audit_entry(audit_id),
            -- 'intent': written before a remote call and settled (or discarded) after
            -- it, so a crash between the call and its record is repaired at the next start.
            state TEXT NOT NULL DEFAULT 'settled',
            intent TEXT
        , group_id TEXT, merged_from TEXT, merged_into TEXT, restored_as TEXT, run_id TEXT, chain_seq INTEGER, hash BLOB, run_key INTEGER, previous_id INTEGER);
        CREATE INDEX audit_entry_on_operation ON audit_entry(operation, audit_id);
        CREATE INDEX audit_entry_on_time ON audit_entry(timestamp_ms);
        CREATE INDEX audit_entry_on_state ON audit_entry(state) WHERE state <> 'settled';
        CREATE INDEX audit_entry_on_group ON audit_entry(group_id, audit_id)
            WHERE group_id IS NOT NULL;
        CREATE INDEX audit_entry_on_run ON audit_entry(run_id, audit_id) WHERE run_id IS NOT NULL;
        CREATE UNIQUE INDEX audit_entry_on_chain ON audit_entry(chain_seq)
            WHERE chain_seq IS NOT NULL;
        CREATE TABLE audit_chain (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq INTEGER NOT NULL,
            hash BLOB NOT NULL
        );
        CREATE TABLE audit_chain_start (
            started_at_audit_id INTEGER NOT NULL,
            started_at TEXT NOT NULL,
            entries_before INTEGER NOT NULL
        );
        CREATE TABLE "audit_run" (
            run_key INTEGER PRIMARY KEY,
            run_id TEXT NOT NULL UNIQUE,
            started_at TEXT NOT NULL,
            started_ms INTEGER NOT NULL,
            actor TEXT,
            pid INTEGER,
            host TEXT,
            version TEXT
        );
        CREATE INDEX audit_run_on_start ON audit_run(started_ms);
        CREATE INDEX audit_entry_on_run_key ON audit_entry(run_key, audit_id) WHERE run_key IS NOT NULL;
        \(headTable)
        """

    /// Each contact's latest settled entry, for a contact whose row does not keep it
    /// (``AuditHeads``).
    static let headTable = """
        CREATE TABLE audit_head (
            contact_id TEXT PRIMARY KEY,
            audit_id INTEGER NOT NULL
        ) WITHOUT ROWID;
        """
}
