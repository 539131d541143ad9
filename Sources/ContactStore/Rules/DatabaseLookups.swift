import FastSQLite
import GRDB
import SharedDatabase
import WixContacts

/// The embedded store's ``PlanningLookups``: its catalog tables and its email and phone lookup
/// tables, inside the database access planning runs in.
struct DatabaseLookups: PlanningLookups {
    let db: Database

    func labelExists(_ key: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM label WHERE key = ?", arguments: [key]) != nil
    }

    func extendedFieldType(_ key: String) throws -> ExtendedFieldType? {
        try String.fetchOne(db, sql: "SELECT data_type FROM extended_field WHERE key = ?", arguments: [key])
            .flatMap(ExtendedFieldType.init(rawValue:))
    }

    // The duplicate checks run for every create (on a reader, and again on the one writer):
    // through the fast path, not GRDB's generic `fetchOne`, about 10,000 instructions each.
    func contact(usingEmail email: String, other id: String) throws -> String? {
        try db.statement(for: Self.contactUsingEmail).fetchFirst(.text(email), .text(id)) { $0.text(0) } ?? nil
    }

    func contact(usingPhoneKey key: String, other id: String) throws -> String? {
        try db.statement(for: Self.contactUsingPhoneKey).fetchFirst(.text(key), .text(id)) { $0.text(0) } ?? nil
    }

    private static let contactUsingEmail = BatchSQL(
        """
        SELECT c.id FROM contact_email i JOIN contact c ON c.contact_key = i.contact_key
        WHERE i.email = ? AND c.id <> ? LIMIT 1
        """)

    private static let contactUsingPhoneKey = BatchSQL(
        """
        SELECT c.id FROM contact_phone i JOIN contact c ON c.contact_key = i.contact_key
        WHERE i.phone_key = ? AND c.id <> ? LIMIT 1
        """)
}
