import GRDB

extension StoreSchema {
    /// `v-query-indexes`: what lets every filter and sort of the query language (SPEC §3) run
    /// from an index at a million contacts (issue #20); `QueryPlanTests` checks the plans.
    ///
    /// - `contact_phone_number`: each contact's phone items as entered, for `info.phones.phone`
    ///   (`contact_phone` holds their duplicate keys, not the text), backfilled from the JSON.
    /// - Indexes on `lower(...)` of the names and the company: `$startsWith` is a range on them.
    /// - `company` and `primary_phone`: equality, `$in` and sorting had no index. A company's
    ///   contacts are many: its index goes on in the default order, so their first page is read
    ///   from it without fetching and sorting them all.
    /// - `created_date DESC, id` replaces `created_date`: the default order (newest first, then
    ///   id) is read straight from it, and a deep `offset` skips index entries, not rows.
    /// - `contact_count`: the number of contacts, kept by triggers in the transaction of every
    ///   insert and delete, so an unfiltered query's `total` does not count a million rows.
    static let queryIndexesMigration = "v-query-indexes: phone items, prefix ranges, contact count"

    static func createQueryIndexes(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE contact_phone_number (
                    contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
                    phone TEXT NOT NULL,
                    PRIMARY KEY (contact_id, phone)
                ) WITHOUT ROWID;
                INSERT OR IGNORE INTO contact_phone_number (contact_id, phone)
                    SELECT contact.id, json_extract(item.value, '$.phone')
                    FROM contact, json_each(CAST(contact.json AS TEXT), '$.info.phones.items') AS item
                    WHERE json_extract(item.value, '$.phone') IS NOT NULL;
                CREATE INDEX contact_phone_number_on_phone ON contact_phone_number(phone);

                CREATE INDEX contact_on_lower_first_name ON contact(lower(first_name));
                CREATE INDEX contact_on_lower_last_name ON contact(lower(last_name));
                CREATE INDEX contact_on_company ON contact(company, created_date DESC, id);
                CREATE INDEX contact_on_lower_company ON contact(lower(company));
                CREATE INDEX contact_on_primary_phone ON contact(primary_phone);
                DROP INDEX contact_on_created_date;
                CREATE INDEX contact_on_created_date_id ON contact(created_date DESC, id);

                CREATE TABLE contact_count (n INTEGER NOT NULL);
                INSERT INTO contact_count (n) SELECT count(*) FROM contact;
                CREATE TRIGGER contact_count_on_insert AFTER INSERT ON contact
                    BEGIN UPDATE contact_count SET n = n + 1; END;
                CREATE TRIGGER contact_count_on_delete AFTER DELETE ON contact
                    BEGIN UPDATE contact_count SET n = n - 1; END;
                """)
    }

    /// `v-query-side-tables`: the item tables (`contact_email`, `contact_phone`, `contact_label`)
    /// rebuilt `WITHOUT ROWID`, keyed by `(contact_id, value)`, with one index on the value.
    ///
    /// They were rowid tables with an index on each column: a row and two index entries per
    /// item, and the value's index did not hold the contact id, so every match cost a row read.
    /// Now the table is itself the contact's index and the value's index holds the contact id:
    /// one entry less per item, and "which contacts have this value" (duplicate checks, filters,
    /// counts) reads the value index alone. The writes (delete by contact, insert distinct
    /// values) and the lookups' SQL are unchanged.
    static let querySideTablesMigration = "v-query-side-tables: items without rowid"

    static func rebuildSideTables(_ db: Database) throws {
        for (table, column, index) in [
            ("contact_email", "email", "contact_email_on_email"),
            ("contact_phone", "phone_key", "contact_phone_on_key"),
            ("contact_label", "label_key", "contact_label_on_key"),
        ] {
            try db.execute(
                sql: """
                    CREATE TABLE \(table)_rebuilt (
                        contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
                        \(column) TEXT NOT NULL,
                        PRIMARY KEY (contact_id, \(column))
                    ) WITHOUT ROWID;
                    INSERT OR IGNORE INTO \(table)_rebuilt (contact_id, \(column))
                        SELECT contact_id, \(column) FROM \(table) ORDER BY contact_id, \(column);
                    DROP TABLE \(table);
                    ALTER TABLE \(table)_rebuilt RENAME TO \(table);
                    CREATE INDEX \(index) ON \(table)(\(column));
                    """)
        }
    }
}
