import GRDB
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

    func contact(usingEmail email: String, other id: String) throws -> String? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT contact_id FROM contact_email WHERE email = ? AND contact_id <> ? LIMIT 1"),
            arguments: [email, id])
    }

    func contact(usingPhoneKey key: String, other id: String) throws -> String? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT contact_id FROM contact_phone WHERE phone_key = ? AND contact_id <> ? LIMIT 1"),
            arguments: [key, id])
    }
}
