import GRDB

extension StoreSchema {
    /// How many inserts and deletes `contact_order_change` keeps.
    static let orderChangesKept = 1024

    /// `v-query-counts`: what the last shapes of issue #20 read instead of counting or sorting.
    ///
    /// - `contact_label_count`: how many contacts hold each label, kept by triggers on
    ///   `contact_label` (whose rows change only when a contact's labels do, and go with the
    ///   contact by `ON DELETE CASCADE`, which fires them too). The total of a label's query is one
    ///   row read instead of a count of every holder (50,000 index entries for a big label).
    /// - `contact_count.version`: bumped with every insert and delete of a contact, the only
    ///   writes that move contacts in the default order (an update keeps `created_date` and id).
    ///   ``PageAnchors`` of unfiltered queries are taken under it, so they outlive the updates
    ///   that leave the order as it was.
    /// - `contact_order_change`: the last ``orderChangesKept`` of those inserts and deletes, by
    ///   version, with the contact's place in the order: anchors taken before a few creates are
    ///   moved by them instead of dropped.
    /// - `contact_on_company` gains the names after its default order: a company's contacts
    ///   sorted by a name are sorted from the index alone, without reading their rows.
    static let queryCountsMigration = "v-query-counts: label counts, order version, company names"

    /// The triggers that keep `contact_label_count`.
    static let labelCountTriggers = """
        CREATE TRIGGER contact_label_count_on_insert AFTER INSERT ON contact_label BEGIN
            INSERT INTO contact_label_count (label_key, n) VALUES (NEW.label_key, 1)
                ON CONFLICT (label_key) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER contact_label_count_on_delete AFTER DELETE ON contact_label BEGIN
            UPDATE contact_label_count SET n = n - 1 WHERE label_key = OLD.label_key;
            DELETE FROM contact_label_count WHERE label_key = OLD.label_key AND n <= 0;
        END;
        """

    /// The triggers that keep `contact_count` and `contact_order_change`.
    static let contactCountTriggers = """
        CREATE TRIGGER contact_count_on_insert AFTER INSERT ON contact BEGIN
            UPDATE contact_count SET n = n + 1, version = version + 1;
            INSERT INTO contact_order_change (version, created_date, id, delta)
                SELECT version, NEW.created_date, NEW.id, 1 FROM contact_count;
            DELETE FROM contact_order_change
                WHERE version <= (SELECT version FROM contact_count) - \(orderChangesKept);
        END;
        CREATE TRIGGER contact_count_on_delete AFTER DELETE ON contact BEGIN
            UPDATE contact_count SET n = n - 1, version = version + 1;
            INSERT INTO contact_order_change (version, created_date, id, delta)
                SELECT version, OLD.created_date, OLD.id, -1 FROM contact_count;
            DELETE FROM contact_order_change
                WHERE version <= (SELECT version FROM contact_count) - \(orderChangesKept);
        END;
        """

    static func createQueryCounts(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP TABLE IF EXISTS contact_label_count;
                CREATE TABLE contact_label_count (
                    label_key TEXT PRIMARY KEY NOT NULL,
                    n INTEGER NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO contact_label_count (label_key, n)
                    SELECT label_key, count(*) FROM contact_label GROUP BY label_key;
                DROP TRIGGER IF EXISTS contact_label_count_on_insert;
                DROP TRIGGER IF EXISTS contact_label_count_on_delete;
                \(labelCountTriggers)

                ALTER TABLE contact_count ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
                DROP TABLE IF EXISTS contact_order_change;
                CREATE TABLE contact_order_change (
                    version INTEGER PRIMARY KEY,
                    created_date TEXT NOT NULL,
                    id TEXT NOT NULL,
                    delta INTEGER NOT NULL
                );
                DROP TRIGGER contact_count_on_insert;
                DROP TRIGGER contact_count_on_delete;
                \(contactCountTriggers)

                DROP INDEX contact_on_company;
                CREATE INDEX contact_on_company ON contact(company, created_date DESC, id, last_name, first_name);
                """)
    }
}
