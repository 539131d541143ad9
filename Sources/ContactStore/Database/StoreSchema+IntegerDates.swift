import Foundation
import GRDB
import WixContacts

extension StoreSchema {
    /// `v-integer-dates`: a contact's `created_date` and `updated_date` are stored as integer
    /// milliseconds since 1970 instead of 24-character RFC 3339 text (issue #20). The row and
    /// each of the three indexes that hold a date (`contact_on_created_date_id`,
    /// `contact_on_company`, `contact_on_updated_date`) shrink by 18 bytes a date, and the
    /// `contact` table holds 11 rows a page instead of 10. The order is the same: the text was
    /// always the UTC form to the millisecond, which sorts as its time. `contact_order_change`
    /// follows (its few rows are dropped: page anchors taken before are dropped with them).
    ///
    /// The columns are added, filled and renamed in place, never by copying the table: dropping
    /// `contact` would delete every item by `ON DELETE CASCADE`. A file migrated in place keeps
    /// the old rows' pages; `contacts-gateway compact --vacuum` packs them.
    static let integerDatesMigration = "v-integer-dates: dates as integer milliseconds"

    static func integerDates(_ db: Database) throws {
        let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        try db.execute(sql: "PRAGMA cache_size = -65536")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
        // The store's dates are RFC 3339 text; anything else (a hand edit) as SQLite reads it.
        let milliseconds = DatabaseFunction("rfc3339_ms", argumentCount: 1, pure: true) { values in
            String.fromDatabaseValue(values[0]).flatMap(Timestamp.millisecondsSince1970(rfc3339:))
        }
        db.add(function: milliseconds)
        defer { db.remove(function: milliseconds) }
        let asMilliseconds = { (column: String) in
            "coalesce(rfc3339_ms(\(column)), CAST(round((julianday(\(column)) - 2440587.5) * 86400000) AS INTEGER), 0)"
        }
        try db.execute(
            sql: """
                DROP TRIGGER IF EXISTS contact_count_on_insert;
                DROP TRIGGER IF EXISTS contact_count_on_delete;
                DROP TRIGGER IF EXISTS audit_after_kept_on_contact_update;
                DROP TRIGGER IF EXISTS audit_after_kept_on_contact_delete;
                DROP INDEX contact_on_updated_date;
                DROP INDEX contact_on_created_date_id;
                DROP INDEX contact_on_company;
                ALTER TABLE contact ADD COLUMN created_ms INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE contact ADD COLUMN updated_ms INTEGER NOT NULL DEFAULT 0;
                UPDATE contact SET created_ms = \(asMilliseconds("created_date")),
                    updated_ms = \(asMilliseconds("updated_date"));
                ALTER TABLE contact DROP COLUMN created_date;
                ALTER TABLE contact DROP COLUMN updated_date;
                ALTER TABLE contact RENAME COLUMN created_ms TO created_date;
                ALTER TABLE contact RENAME COLUMN updated_ms TO updated_date;
                CREATE INDEX contact_on_updated_date ON contact(updated_date);
                CREATE INDEX contact_on_created_date_id ON contact(created_date, id DESC);
                CREATE INDEX contact_on_company ON contact(company, created_date, id DESC, last_name, first_name);
                DROP TABLE contact_order_change;
                CREATE TABLE contact_order_change (
                    version INTEGER PRIMARY KEY,
                    created_date INTEGER NOT NULL,
                    id TEXT NOT NULL,
                    delta INTEGER NOT NULL
                );
                \(contactCountTriggers)
                """)
    }

    /// A contact's date as its column holds it since `v-integer-dates`: milliseconds since 1970
    /// (0 for a contact without one, which the store never writes).
    static func storedDate(_ date: String?) -> Int64 {
        date.flatMap(Timestamp.millisecondsSince1970(rfc3339:)) ?? 0
    }
}
