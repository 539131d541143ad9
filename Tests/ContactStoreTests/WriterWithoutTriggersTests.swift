import ContactStore
import Foundation
import GRDB
import JSONCore
import SharedDatabase
import Testing
import WixContacts

/// A store whose writer runs no triggers (`runWriterWithoutTriggers`) keeps its counts itself
/// (`CountKeeping`): every way contacts and their labels change leaves the file's count tables
/// exactly as the triggers leave them.
@Suite struct WriterWithoutTriggersTests {
    /// Records nothing, as a journal of a file without an audit log may.
    struct NumberingJournal: ChangeJournal {
        let numbers = Counter()
        func record(_ change: ContactChange, in db: Database) throws -> Int64 { Int64(numbers.next()) }
        func recordDeletion(_ deletion: ContactDeletion, in db: Database) throws -> Int64 { Int64(numbers.next()) }
    }

    /// Creates, updates, relabels, deletes, merges and a label deletion, each through the
    /// store's journaled operations, and more creates than `contact_order_change` keeps.
    static func changeEverything(_ store: ContactStore) async throws {
        let journal = NumberingJournal()
        let vip = try await store.findOrCreateLabel(displayName: "VIP").key
        let other = try await store.findOrCreateLabel(displayName: "Other").key
        func create(_ info: JSONValue) async throws -> String {
            let request = ChangeRequest.create(patch: try ContactInfoPatch(json: info), allowDuplicates: false, member: false)
            return try await store.commit(request, journal: journal).change.after.id
        }
        func update(_ id: String, _ info: JSONValue) async throws {
            let request = ChangeRequest.update(
                id: id, patch: try ContactInfoPatch(json: info), revision: nil, allowDuplicates: false)
            _ = try await store.commit(request, journal: journal)
        }
        let ann = try await create(["name": ["first": "Ann"], "labelKeys": ["items": [.string(vip)]]])
        let bob = try await create(["name": ["first": "Bob"], "labelKeys": ["items": [.string(vip), .string(other)]]])
        let cara = try await create(["name": ["first": "Cara"], "emails": ["items": [["email": "cara@wix.com"]]]])
        let dan = try await create(["name": ["first": "Dan"], "labelKeys": ["items": [.string(other)]]])
        let eve = try await create(["name": ["first": "Eve"], "labelKeys": ["items": [.string(vip)]]])
        try await update(ann, ["company": "Wix", "labelKeys": ["items": [.string(other)]]])
        _ = try await store.commit(.relabel(id: cara, adding: [vip, other], removing: []), journal: journal)
        _ = try await store.commit(.relabel(id: bob, adding: [], removing: [vip]), journal: journal)
        _ = try await store.delete(id: dan, journal: journal)
        _ = try await store.merge(targetId: cara, sourceIds: [bob], targetRevision: nil, journal: journal)
        _ = try await store.deleteLabel(key: other, journal: journal)
        // As a group undo does: a deletion in a transaction of its own making.
        try await store.write(changes: { db in
            _ = try store.deleteRow(db, id: eve, mergedInto: nil)
            return ((), changed: [], deleted: [eve])
        })
        // The first two with an email: their rows' keys are no longer the count's version.
        for index in 0..<1_030 {
            let name: JSONValue = ["first": .string("P\(index)")]
            let email: JSONValue = ["items": [["email": .string("p\(index)@e.test")]]]
            _ = try await create(index < 2 ? ["name": name, "emails": email] : ["name": name])
        }
    }

    /// Whose items the item tables hold.
    static func items(_ store: ContactStore) async throws -> [String] {
        try await store.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT c.id || ' ' || i.email FROM contact_email i JOIN contact c USING (contact_key)
                    UNION ALL SELECT c.id || ' ' || i.label_key FROM contact_label i JOIN contact c USING (contact_key)
                    ORDER BY 1
                    """)
        }
    }

    /// The count tables, row by row.
    static func counts(_ store: ContactStore) async throws -> [String] {
        try await store.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT 'count ' || n || ' ' || version FROM contact_count
                    UNION ALL SELECT * FROM (SELECT 'order ' || version || ' ' || created_date || ' ' || id || ' ' || delta
                        FROM contact_order_change ORDER BY version)
                    UNION ALL SELECT * FROM (SELECT 'label ' || label_key || ' ' || n FROM contact_label_count
                        ORDER BY label_key)
                    """)
        }
    }

    @Test func countsComeOutAsTheTriggersMakeThem() async throws {
        try await TestStore.with { triggered in
            try await TestStore.with { kept in
                #expect(try kept.store.runWriterWithoutTriggers(recordedChangeTriggers: []))
                #expect(try await kept.store.database.write { ConnectionTriggers.areRunning(on: $0) } == false)
                #expect(try await triggered.store.database.write { ConnectionTriggers.areRunning(on: $0) })
                try await Self.changeEverything(triggered.store)
                try await Self.changeEverything(kept.store)

                let items = try await Self.items(kept.store)
                #expect(items == (try await Self.items(triggered.store)))
                #expect(items.count == 4, "Cara's email and label, and two later contacts' emails")
                let counts = try await Self.counts(kept.store)
                #expect(counts == (try await Self.counts(triggered.store)))
                #expect(counts.count == 1 + 1_024 + 1, "the count, the last 1,024 order changes, one label")
                let actual = try await kept.store.read { db in
                    try String.fetchAll(
                        db,
                        sql: """
                            SELECT 'count ' || count(*) FROM contact
                            UNION ALL SELECT * FROM (SELECT 'label ' || label_key || ' ' || count(*) FROM contact_label
                                GROUP BY label_key ORDER BY label_key)
                            """)
                }
                #expect(counts.first?.hasPrefix(actual[0] + " ") == true)
                #expect(Array(counts.suffix(actual.count - 1)) == Array(actual.dropFirst()))
            }
        }
    }

    /// A change nobody records would lose the JSON an audit entry leaves in the row; such a store
    /// refuses it, and writes nothing.
    @Test func aStoreThatRecordsEveryChangeRefusesAnUnrecordedOne() async throws {
        try await TestStore.with { t in
            let contact = try await t.create(["name": ["first": "Ada"]])
            #expect(try t.store.runWriterWithoutTriggers(recordedChangeTriggers: []))
            await expectError(.internalError) { try await t.update(contact.id, ["company": "Wix"], revision: 1) }
            await expectError(.internalError) { try await t.store.deleteContact(id: contact.id) }
            await expectError(.internalError) { try await t.create(["name": ["first": "Bob"]]) }
            #expect(try await t.read(contact.id).revision == 1)
            #expect(try await t.store.count() == 1)
        }
    }

    /// A trigger the store does not know (a newer build's, or a user's) keeps the writer running
    /// every trigger.
    @Test func anUnknownTriggerKeepsTheTriggersRunning() async throws {
        try await TestStore.with { t in
            try await t.store.database.write { db in
                try db.execute(sql: "CREATE TABLE seen (id TEXT)")
                try db.execute(sql: "CREATE TRIGGER contact_seen AFTER INSERT ON contact BEGIN INSERT INTO seen VALUES (NEW.id); END")
            }
            #expect(try t.store.runWriterWithoutTriggers(recordedChangeTriggers: []) == false)
            #expect(try await t.store.database.write { ConnectionTriggers.areRunning(on: $0) })
            let contact = try await t.create(["name": ["first": "Ada"]])
            #expect(try await t.store.read { try String.fetchAll($0, sql: "SELECT id FROM seen") } == [contact.id])
        }
    }
}
