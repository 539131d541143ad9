import GRDB

extension StoreSchema {
    /// The rows of the system extended fields every site has (`v1`).
    static let systemExtendedFields = """
        INSERT INTO extended_field (key, display_name, data_type, is_system) VALUES
            ('contacts.displayByFirstName', 'Display Name (first name first)', 'TEXT', 1),
            ('contacts.displayByLastName', 'Display Name (last name first)', 'TEXT', 1),
            ('emailSubscriptions.subscriptionStatus', 'Email Subscription Status', 'TEXT', 1),
            ('emailSubscriptions.deliverabilityStatus', 'Email Deliverability Status', 'TEXT', 1),
            ('emailSubscriptions.effectiveEmail', 'Effective Email', 'TEXT', 1),
            ('invoices.vatId', 'VAT ID', 'TEXT', 1);
        """

    /// A new file's schema at once: what every migration up to `v-journal-head` leaves, each
    /// object in the text SQLite keeps for it after them (so `created_date`'s `DEFAULT 0`, which
    /// `ALTER TABLE … ADD COLUMN` needed), and the rows they leave. `FreshSchemaTests` compare it
    /// with the migrations replayed: a migration added later changes this too, and the test
    /// prints the text to put here.
    static func createFresh(_ db: Database) throws {
        try db.execute(
            sql: freshSchema + systemExtendedFields + "INSERT INTO contact_count (n, version) VALUES (0, 0);")
    }

    private static let freshSchema = """
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
        CREATE TABLE merged_contact (
            source_id TEXT PRIMARY KEY,
            target_id TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE contact_count (n INTEGER NOT NULL, version INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE contact_label_count (
            label_key TEXT PRIMARY KEY NOT NULL,
            n INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE "contact" (
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
            created_date INTEGER NOT NULL DEFAULT 0, updated_date INTEGER NOT NULL DEFAULT 0, journal_head INTEGER);
        CREATE INDEX contact_on_first_name ON contact(first_name);
        CREATE INDEX contact_on_last_name ON contact(last_name);
        CREATE INDEX contact_on_primary_email ON contact(primary_email);
        CREATE INDEX contact_on_lower_first_name ON contact(lower(first_name));
        CREATE INDEX contact_on_lower_last_name ON contact(lower(last_name));
        CREATE INDEX contact_on_lower_company ON contact(lower(company));
        CREATE INDEX contact_on_primary_phone ON contact(primary_phone);
        CREATE TABLE contact_email (
            contact_key INTEGER NOT NULL REFERENCES contact(contact_key) ON DELETE CASCADE,
            email TEXT NOT NULL,
            PRIMARY KEY (contact_key, email)
        ) WITHOUT ROWID;
        CREATE INDEX contact_email_on_email ON contact_email(email);
        CREATE TABLE contact_phone (
            contact_key INTEGER NOT NULL REFERENCES contact(contact_key) ON DELETE CASCADE,
            phone_key TEXT NOT NULL,
            PRIMARY KEY (contact_key, phone_key)
        ) WITHOUT ROWID;
        CREATE INDEX contact_phone_on_key ON contact_phone(phone_key);
        CREATE TABLE contact_phone_number (
            contact_key INTEGER NOT NULL REFERENCES contact(contact_key) ON DELETE CASCADE,
            phone TEXT NOT NULL,
            PRIMARY KEY (contact_key, phone)
        ) WITHOUT ROWID;
        CREATE INDEX contact_phone_number_on_phone ON contact_phone_number(phone);
        CREATE TABLE contact_label (
            contact_key INTEGER NOT NULL REFERENCES contact(contact_key) ON DELETE CASCADE,
            label_key TEXT NOT NULL,
            PRIMARY KEY (contact_key, label_key)
        ) WITHOUT ROWID;
        CREATE INDEX contact_label_on_key ON contact_label(label_key);
        CREATE TRIGGER contact_label_count_on_insert AFTER INSERT ON contact_label BEGIN
            INSERT INTO contact_label_count (label_key, n) VALUES (NEW.label_key, 1)
                ON CONFLICT (label_key) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER contact_label_count_on_delete AFTER DELETE ON contact_label BEGIN
            UPDATE contact_label_count SET n = n - 1 WHERE label_key = OLD.label_key;
            DELETE FROM contact_label_count WHERE label_key = OLD.label_key AND n <= 0;
        END;
        CREATE INDEX contact_on_updated_date ON contact(updated_date);
        CREATE INDEX contact_on_created_date_id ON contact(created_date, id DESC);
        CREATE INDEX contact_on_company ON contact(company, created_date, id DESC, last_name, first_name);
        CREATE TABLE contact_order_change (
            version INTEGER PRIMARY KEY,
            created_date INTEGER NOT NULL,
            id TEXT NOT NULL,
            delta INTEGER NOT NULL
        );
        CREATE TRIGGER contact_count_on_insert AFTER INSERT ON contact BEGIN
            UPDATE contact_count SET n = n + 1, version = version + 1;
            INSERT INTO contact_order_change (version, created_date, id, delta)
                SELECT version, NEW.created_date, NEW.id, 1 FROM contact_count;
            DELETE FROM contact_order_change
                WHERE version <= (SELECT version FROM contact_count) - 1024;
        END;
        CREATE TRIGGER contact_count_on_delete AFTER DELETE ON contact BEGIN
            UPDATE contact_count SET n = n - 1, version = version + 1;
            INSERT INTO contact_order_change (version, created_date, id, delta)
                SELECT version, OLD.created_date, OLD.id, -1 FROM contact_count;
            DELETE FROM contact_order_change
                WHERE version <= (SELECT version FROM contact_count) - 1024;
        END;
        """
}
