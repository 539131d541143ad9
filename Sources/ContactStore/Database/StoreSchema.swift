import Foundation
import GRDB
import SharedDatabase
import WixContacts

/// The store's schema. Each migration is applied once, in order; all of them run under one
/// write lock, so processes that open a new or older file together migrate it exactly once; a
/// database written by a newer build is refused rather than misread. The audit log's
/// migrations (named `audit …`) share the file's list and are the audit log's to check.
enum StoreSchema {
    /// Migrates `writer`, waiting up to `timeout` seconds for other processes' locks.
    static func migrate(_ writer: some DatabaseWriter, timeout: TimeInterval) throws {
        try migrator.migrate(writer, timeout: timeout)
    }

    /// The migration after which contacts are packed against dictionary version 2.
    static let dictionaryV2Migration = "v-dictionary-2: contact JSON packed against dictionary version 2"

    /// The migration that gives each contact row its latest journal record's id.
    static let journalHeadMigration = "v-journal-head: each contact's latest journal record"

    static var migrator: SchemaMigrator {
        var migrator = SchemaMigrator(name: "The database", owns: { !$0.hasPrefix("audit ") })
        migrator.register("v1: contacts, labels, extended fields") { db in
            try db.execute(
                sql: """
                    CREATE TABLE contact (
                        id TEXT PRIMARY KEY NOT NULL,
                        revision INTEGER NOT NULL,
                        json BLOB NOT NULL,
                        is_member INTEGER NOT NULL DEFAULT 0,
                        first_name TEXT,
                        last_name TEXT,
                        company TEXT,
                        primary_email TEXT,
                        primary_phone TEXT,
                        created_date TEXT NOT NULL,
                        updated_date TEXT NOT NULL
                    );
                    CREATE INDEX contact_on_first_name ON contact(first_name);
                    CREATE INDEX contact_on_last_name ON contact(last_name);
                    CREATE INDEX contact_on_primary_email ON contact(primary_email);
                    CREATE INDEX contact_on_created_date ON contact(created_date);
                    CREATE INDEX contact_on_updated_date ON contact(updated_date);

                    -- Lookup tables kept in step with the contact JSON, for duplicates and filters.
                    CREATE TABLE contact_email (
                        contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
                        email TEXT NOT NULL
                    );
                    CREATE INDEX contact_email_on_email ON contact_email(email);
                    CREATE INDEX contact_email_on_contact ON contact_email(contact_id);
                    CREATE TABLE contact_phone (
                        contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
                        phone_key TEXT NOT NULL
                    );
                    CREATE INDEX contact_phone_on_key ON contact_phone(phone_key);
                    CREATE INDEX contact_phone_on_contact ON contact_phone(contact_id);
                    CREATE TABLE contact_label (
                        contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
                        label_key TEXT NOT NULL
                    );
                    CREATE INDEX contact_label_on_key ON contact_label(label_key);
                    CREATE INDEX contact_label_on_contact ON contact_label(contact_id);

                    CREATE TABLE label (
                        key TEXT PRIMARY KEY NOT NULL,
                        display_name TEXT NOT NULL
                    );
                    CREATE TABLE extended_field (
                        key TEXT PRIMARY KEY NOT NULL,
                        display_name TEXT NOT NULL,
                        data_type TEXT NOT NULL,
                        is_system INTEGER NOT NULL DEFAULT 0
                    );
                    \(systemExtendedFields)
                    """
            )
        }
        // Merged-away contacts: Wix answers a get of a merge source with its target.
        migrator.register("v2: merged contacts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS merged_contact (
                        source_id TEXT PRIMARY KEY,
                        target_id TEXT NOT NULL
                    ) WITHOUT ROWID;
                    """
            )
        }
        migrator.register(queryIndexesMigration, createQueryIndexes)
        migrator.register(querySideTablesMigration, rebuildSideTables)
        migrator.register(queryCountsMigration, createQueryCounts)
        migrator.register(compactRowsMigration, compactRows)
        migrator.register(integerDatesMigration, integerDates)
        // Changes no row: contacts written from now on are packed against dictionary version 2
        // (`CompactJSON`), which builds before it cannot read; recorded so that they refuse the
        // file instead of handing out packed bytes as JSON. Rows packed against version 1 read.
        migrator.register(dictionaryV2Migration) { _ in }
        // Each contact row keeps the id of its latest journal record (the audit log's entry), on
        // the page an update writes anyway: the log then chains a contact's entries without an
        // index of them (`ContactAudit`'s `AuditHeads`). Rows written before keep `NULL`, and
        // the log finds their latest entry in its own table.
        migrator.register(journalHeadMigration) { db in
            try db.execute(sql: "ALTER TABLE contact ADD COLUMN journal_head INTEGER")
        }
        migrator.registerFresh(createFresh)
        return migrator
    }
}
