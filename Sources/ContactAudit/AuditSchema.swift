import Foundation
import GRDB
import SharedDatabase
import WixContacts

/// The audit tables. They live in the same SQLite file as the embedded store so that a contact
/// write and its entry commit in one transaction. Like the store's, the migrations run under
/// one write lock (processes opening a file together migrate it once), and a log that a newer
/// build has migrated further is refused (its entries may be stored in a way this build would
/// misread). Only the `audit …` migrations are checked; the store's share the file's list.
enum AuditSchema {
    /// Migrates `writer`, waiting up to `timeout` seconds for other processes' locks.
    static func migrate(_ writer: some DatabaseWriter, timeout: TimeInterval) throws {
        try migrator.migrate(writer, timeout: timeout)
    }

    static var migrator: SchemaMigrator {
        var migrator = SchemaMigrator(name: "The audit log", owns: { $0.hasPrefix("audit ") })
        migrator.register("audit v1: entries") { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS audit_entry (
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
                    );
                    CREATE INDEX IF NOT EXISTS audit_entry_on_contact ON audit_entry(contact_id, audit_id);
                    CREATE INDEX IF NOT EXISTS audit_entry_on_operation ON audit_entry(operation, audit_id);
                    CREATE INDEX IF NOT EXISTS audit_entry_on_time ON audit_entry(timestamp_ms);
                    CREATE INDEX IF NOT EXISTS audit_entry_on_state ON audit_entry(state) WHERE state <> 'settled';
                    """
            )
        }
        // No change to the tables: it marks files whose entries may leave out a `before` equal to
        // the previous entry's `after` (see `SQLiteAuditStore.append`), which builds before it misread.
        // Nothing changes, so it needs no foreign key check of the whole file (seconds on a log of
        // millions of entries); the migrator runs every migration with the checks as they are.
        migrator.register("audit v2: before stored once") { _ in }
        // Groups (a merge, a bulk call, a label deletion, a group undo) and the links of merges
        // and restored deletes.
        migrator.register("audit v3: groups and links") { db in
            try db.execute(
                sql: """
                    ALTER TABLE audit_entry ADD COLUMN group_id TEXT;
                    ALTER TABLE audit_entry ADD COLUMN merged_from TEXT;
                    ALTER TABLE audit_entry ADD COLUMN merged_into TEXT;
                    ALTER TABLE audit_entry ADD COLUMN restored_as TEXT;
                    CREATE INDEX IF NOT EXISTS audit_entry_on_group ON audit_entry(group_id, audit_id)
                        WHERE group_id IS NOT NULL;
                    """
            )
        }
        // Runs (each gateway process that writes), each entry's run, and the hash chain
        // (`AuditChain`). Entries written before this migration are not in the chain; it starts
        // here, and `audit_chain_start` records where and when.
        migrator.register("audit v4: runs and hash chain") { db in
            try db.execute(
                sql: """
                    ALTER TABLE audit_entry ADD COLUMN run_id TEXT;
                    ALTER TABLE audit_entry ADD COLUMN chain_seq INTEGER;
                    ALTER TABLE audit_entry ADD COLUMN hash BLOB;
                    CREATE INDEX IF NOT EXISTS audit_entry_on_run ON audit_entry(run_id, audit_id) WHERE run_id IS NOT NULL;
                    CREATE UNIQUE INDEX IF NOT EXISTS audit_entry_on_chain ON audit_entry(chain_seq)
                        WHERE chain_seq IS NOT NULL;
                    CREATE TABLE IF NOT EXISTS audit_run (
                        run_id TEXT PRIMARY KEY,
                        started_at TEXT NOT NULL,
                        started_ms INTEGER NOT NULL,
                        actor TEXT,
                        pid INTEGER,
                        host TEXT,
                        version TEXT
                    );
                    CREATE INDEX IF NOT EXISTS audit_run_on_start ON audit_run(started_ms);
                    CREATE TABLE IF NOT EXISTS audit_chain (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        seq INTEGER NOT NULL,
                        hash BLOB NOT NULL
                    );
                    CREATE TABLE IF NOT EXISTS audit_chain_start (
                        started_at_audit_id INTEGER NOT NULL,
                        started_at TEXT NOT NULL,
                        entries_before INTEGER NOT NULL
                    );
                    \(chainStart)
                    """
            )
        }
        // The `after` of a contact's latest entry left in the contact's row (`ContactRowAfters`),
        // which builds before it would read as missing. It installed the row triggers; `audit
        // v7` installs them now, in the form that finds a contact's latest entry by its head
        // (which an earlier migration cannot name: `ALTER TABLE` rechecks every trigger).
        migrator.register("audit v5: latest after in the contact row") { _ in }
        // Entries stored compactly (`CompactEntryColumns`): each run gets a declared integer key
        // (the row's rowid, which `VACUUM` could otherwise renumber), which new entries store
        // instead of the run's 38-character id. Existing entries are not rewritten (a log may
        // hold millions), so the runs table is rebuilt, and `audit_entry` only gains a column.
        migrator.register("audit v6: compact entries") { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit_run_keyed (
                        run_key INTEGER PRIMARY KEY,
                        run_id TEXT NOT NULL UNIQUE,
                        started_at TEXT NOT NULL,
                        started_ms INTEGER NOT NULL,
                        actor TEXT,
                        pid INTEGER,
                        host TEXT,
                        version TEXT
                    );
                    INSERT INTO audit_run_keyed (run_key, run_id, started_at, started_ms, actor, pid, host, version)
                        SELECT rowid, run_id, started_at, started_ms, actor, pid, host, version FROM audit_run;
                    DROP TABLE audit_run;
                    ALTER TABLE audit_run_keyed RENAME TO audit_run;
                    CREATE INDEX audit_run_on_start ON audit_run(started_ms);
                    ALTER TABLE audit_entry ADD COLUMN run_key INTEGER;
                    CREATE INDEX audit_entry_on_run_key ON audit_entry(run_key, audit_id) WHERE run_key IS NOT NULL;
                    """
            )
        }
        // A contact's entries chained from its head instead of indexed (`AuditHeads`): every
        // settled entry gets the id of its contact's settled entry before it, every contact its
        // head in `audit_head` (the store's rows take theirs over as they change), and the index
        // goes. The row triggers find the latest entry by the head from now on.
        migrator.register("audit v7: a contact's entries chained") { db in
            try db.execute(
                sql: """
                    ALTER TABLE audit_entry ADD COLUMN previous_id INTEGER;
                    UPDATE audit_entry SET previous_id = (
                        SELECT MAX(p.audit_id) FROM audit_entry p
                        WHERE p.contact_id = audit_entry.contact_id AND p.state = 'settled'
                          AND p.audit_id < audit_entry.audit_id)
                    WHERE state = 'settled';
                    \(headTable)
                    INSERT INTO audit_head (contact_id, audit_id)
                        SELECT contact_id, MAX(audit_id) FROM audit_entry
                        WHERE state = 'settled' AND contact_id <> '' GROUP BY contact_id;
                    DROP INDEX audit_entry_on_contact;
                    DROP TRIGGER IF EXISTS audit_after_kept_on_contact_update;
                    DROP TRIGGER IF EXISTS audit_after_kept_on_contact_delete;
                    """)
            try ContactRowAfters.install(db)
        }
        migrator.registerFresh(createFresh)
        return migrator
    }
}
