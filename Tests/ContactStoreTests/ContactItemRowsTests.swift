import ContactStore
import GRDB
import JSONCore
import Testing
import WixContacts

/// The lookup rows a contact's items keep (`contact_email`, `contact_phone`, ...): written with
/// the contact, replaced when its items change, and never someone else's.
@Suite struct ContactItemRowsTests {
    /// The emails the lookup table holds under contact `id`'s row.
    private func emailRows(_ t: TestStore, of id: String) async throws -> [String] {
        try await t.store.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT email FROM contact_email
                    WHERE contact_key = (SELECT contact_key FROM contact WHERE id = ?) ORDER BY email
                    """,
                arguments: [id])
        }
    }

    @Test func aContactsRowsFollowItsItems() async throws {
        try await TestStore.with { t in
            let created = try await t.create([
                "name": ["first": "Ada"],
                "emails": ["items": [["email": "A@example.com"], ["email": "b@example.com"]]],
            ])
            #expect(try await emailRows(t, of: created.id) == ["a@example.com", "b@example.com"])
            try await t.update(created.id, ["emails": ["items": [["email": "c@example.com"]]]], revision: 1)
            #expect(try await emailRows(t, of: created.id) == ["c@example.com"])
            // A change that leaves the emails alone leaves their rows alone.
            try await t.update(created.id, ["company": "Acme"], revision: 2)
            #expect(try await emailRows(t, of: created.id) == ["c@example.com"])
            try await t.update(created.id, ["emails": ["items": []]], revision: 3)
            #expect(try await emailRows(t, of: created.id) == [])
        }
    }

    @Test func aNewContactsRowsReplaceOnesAnotherWriterLeftUnderItsKey() async throws {
        try await TestStore.with { t in
            let first = try await t.create(["emails": ["items": [["email": "old@example.com"]]]])
            let key = "SELECT contact_key FROM contact WHERE id = ?"
            let firstKey = try await t.store.read { db in try Int64.fetchOne(db, sql: key, arguments: [first.id]) }
            // Another writer of the file deletes the contact's row without its items (foreign
            // keys are off by default in `sqlite3`), so the next contact's row reuses the key.
            var configuration = Configuration()
            configuration.foreignKeysEnabled = false
            let other = try DatabaseQueue(
                path: t.directory.appendingPathComponent("contacts.sqlite").path, configuration: configuration)
            try await other.write { db in try db.execute(sql: "DELETE FROM contact WHERE id = ?", arguments: [first.id])
            }
            try await other.close()
            let second = try await t.create(["emails": ["items": [["email": "new@example.com"]]]])
            #expect(
                try await t.store.read { db in try Int64.fetchOne(db, sql: key, arguments: [second.id]) } == firstKey)
            #expect(try await emailRows(t, of: second.id) == ["new@example.com"])
            #expect(
                try await t.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM contact_email") } == 1)
        }
    }

    @Test func aPhonesKeyIsItsDigitsWhenItHasNoE164Form() {
        let cases: [(String, String?)] = [
            ("+1 (555) 010-2030", "15550102030"), ("555 0100 ext. 7", "55501007"), ("phone", nil), ("", nil),
            ("12\r\n34", "1234"),
            // Not ASCII: only ASCII digits count, and a digit a mark is joined to is no longer one.
            ("٠١٢ 345", "345"), ("１２３ 45", "45"), ("1\u{20E3}23", "23"), ("é 5", "5"),
        ]
        for (text, key) in cases {
            #expect(ContactRules.phoneKey(ContactPhone(phone: text)) == key, "\(text.debugDescription)")
        }
    }
}
