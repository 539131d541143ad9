import CompactJSON
import Foundation
import GRDB

extension StoreSchema {
    /// `v-compact-rows`: what a contact takes, halved (issue #20). The `contact` table is
    /// rebuilt, its rows keeping their rowids (so page anchors and the order log stay valid),
    /// with every index and trigger it had; the audit log's triggers on it are put back when the
    /// log opens (`ContactRowAfters`). Builds before it refuse the file, which they would misread.
    ///
    /// - Its JSON is packed (``CompactJSON``) as it is copied: about 250 bytes of a typical
    ///   1 KB. The store packs every contact it writes from then on.
    /// - Contacts get an integer key, `contact_key INTEGER PRIMARY KEY` (the old rowid:
    ///   declared, since `VACUUM` may renumber an undeclared rowid), and the email, phone and
    ///   label item tables hold it instead of the contact's 36-byte id, which they held twice
    ///   (the table and the index on the value): 400 bytes per contact of a million, now 160.
    /// - The two indexes of the default order (newest first, then id) are stored oldest first,
    ///   the id descending, and read backwards. Stored newest first, every create inserted at
    ///   the start of the index (or of its company's range), and each page split there left a
    ///   half-empty page behind: in a file grown by the gateway's own creates they took twice
    ///   their entries' bytes. Stored oldest first, a create appends at the end, where SQLite
    ///   fills each page before starting the next. A backward scan of `(created_date, id DESC)`
    ///   is `created_date DESC, id ASC`, so every plan reads the same entries (`QueryPlanTests`).
    static let compactRowsMigration = "v-compact-rows: packed JSON, integer item keys, dense order indexes"

    /// The item tables: name, value column, the index on the value.
    static let itemTables = [
        ("contact_email", "email", "contact_email_on_email"), ("contact_phone", "phone_key", "contact_phone_on_key"),
        ("contact_phone_number", "phone", "contact_phone_number_on_phone"),
        ("contact_label", "label_key", "contact_label_on_key"),
    ]

    static func compactRows(_ db: Database) throws {
        // Index builds sort in the page cache: a larger one (64 MB) for the rebuild, not the
        // connection's 2 MB.
        let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        try db.execute(sql: "PRAGMA cache_size = -65536")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
        let pack = DatabaseFunction("compact_json_pack", argumentCount: 1, pure: true) { values in
            guard let json = Data.fromDatabaseValue(values[0]), json.first == UInt8(ascii: "{") else {
                return values[0]
            }
            return Data(CompactJSON.pack(Array(json)))
        }
        db.add(function: pack)
        defer { db.remove(function: pack) }
        for (table, column, _) in itemTables {
            try db.execute(
                sql: """
                    CREATE TEMP TABLE saved_\(table) AS
                        SELECT c.rowid AS k, i.\(column) AS v FROM \(table) i JOIN contact c ON c.id = i.contact_id;
                    DROP TABLE \(table);
                    """)
        }
        try db.execute(
            sql: """
                DROP TRIGGER IF EXISTS contact_count_on_insert;
                DROP TRIGGER IF EXISTS contact_count_on_delete;
                DROP TRIGGER IF EXISTS audit_after_kept_on_contact_update;
                DROP TRIGGER IF EXISTS audit_after_kept_on_contact_delete;
                CREATE TABLE contact_keyed (
                    contact_key INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
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
                INSERT INTO contact_keyed
                    SELECT rowid, id, revision, compact_json_pack(json), is_member, first_name, last_name, company, primary_email,
                           primary_phone, created_date, updated_date
                    FROM contact ORDER BY rowid;
                DROP TABLE contact;
                ALTER TABLE contact_keyed RENAME TO contact;
                CREATE INDEX contact_on_first_name ON contact(first_name);
                CREATE INDEX contact_on_last_name ON contact(last_name);
                CREATE INDEX contact_on_primary_email ON contact(primary_email);
                CREATE INDEX contact_on_updated_date ON contact(updated_date);
                CREATE INDEX contact_on_lower_first_name ON contact(lower(first_name));
                CREATE INDEX contact_on_lower_last_name ON contact(lower(last_name));
                CREATE INDEX contact_on_lower_company ON contact(lower(company));
                CREATE INDEX contact_on_primary_phone ON contact(primary_phone);
                CREATE INDEX contact_on_created_date_id ON contact(created_date, id DESC);
                CREATE INDEX contact_on_company ON contact(company, created_date, id DESC, last_name, first_name);
                \(contactCountTriggers)
                """)
        for (table, column, index) in itemTables {
            try db.execute(
                sql: """
                    CREATE TABLE \(table) (
                        contact_key INTEGER NOT NULL REFERENCES contact(contact_key) ON DELETE CASCADE,
                        \(column) TEXT NOT NULL,
                        PRIMARY KEY (contact_key, \(column))
                    ) WITHOUT ROWID;
                    INSERT OR IGNORE INTO \(table) (contact_key, \(column)) SELECT k, v FROM saved_\(table) ORDER BY k, v;
                    DROP TABLE saved_\(table);
                    CREATE INDEX \(index) ON \(table)(\(column));
                    """)
        }
        try db.execute(sql: labelCountTriggers)
    }
}
