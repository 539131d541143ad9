import GRDB
import WixContacts

/// The audit tables, as GRDB migrations. They live in the same SQLite file as the embedded
/// store so that a contact write and its entry commit in one transaction.
enum AuditSchema {
    /// Migrates `writer`, after refusing a log that a newer build has migrated further (its
    /// entries may be stored in a way this build would misread). Only the `audit …` migrations
    /// are checked; the store's share the file's list.
    static func migrate(_ writer: some DatabaseWriter) throws {
        let migrator = self.migrator
        let applied = try writer.read { db in try migrator.appliedIdentifiers(db) }
        let unknown = applied.filter { $0.hasPrefix("audit ") }.subtracting(migrator.migrations)
        if let newest = unknown.sorted().last {
            throw ContactsError(
                .internalError,
                message:
                    "The audit log was written by a newer contacts-gateway (migration \"\(newest)\"); open it with that version or a later one."
            )
        }
        try migrator.migrate(writer)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("audit v1: entries") { db in
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
        // the previous entry's `after` (see `AuditLog.append`), which builds before it misread.
        // Immediate foreign key checks: nothing changes, so the whole-file check that deferred
        // checks run after a migration (seconds on a log of millions of entries) is not needed.
        migrator.registerMigration("audit v2: before stored once", foreignKeyChecks: .immediate) { _ in }
        return migrator
    }
}
