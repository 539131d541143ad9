import FastSQLite
import GRDB
import WixContacts

/// The query side tables that the write path keeps in step with a contact, inside the
/// transaction that writes it (see `StoreSchema.createQueryIndexes`).
enum ContactIndexes {
    /// Replaces the phone items of contact `id` (`info.phones.phone`) with `phones`.
    static func replacePhoneNumbers(of id: String, with phones: [ContactPhone]?, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM contact_phone_number WHERE contact_id = ?").run(.text(id))
        let numbers = Set((phones ?? []).compactMap(\.phone))
        guard !numbers.isEmpty else { return }
        let insert = try db.cachedStatement(sql: "INSERT INTO contact_phone_number (contact_id, phone) VALUES (?, ?)")
        for number in numbers { try insert.run(.text(id), .text(number)) }
    }
}
