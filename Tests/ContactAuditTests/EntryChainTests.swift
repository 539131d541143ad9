import ContactAudit
import ContactStore
import Foundation
import GRDB
import JSONCore
import Testing
import WixContacts

/// A contact's entries are chained from its head (`audit v7`), not indexed: the history,
/// undo and row-trigger readers find the same entries as the index did, through updates,
/// merges, deletions, changes the log does not record, and a log migrated from before.
@Suite struct EntryChainTests {
    /// Every entry's `previous_id` and each contact's head, as stored.
    static func links(_ fixture: AuditFixture) async throws -> (previous: [Int64: Int64], heads: [String: Int64]) {
        try await fixture.store.database.read { db in
            var previous: [Int64: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT audit_id, previous_id FROM audit_entry") {
                if let id: Int64 = row[1] { previous[row[0]] = id }
            }
            var heads: [String: Int64] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT id, journal_head FROM contact WHERE journal_head IS NOT NULL
                    UNION ALL SELECT contact_id, audit_id FROM audit_head
                    """)
            {
                heads[row[0]] = max(heads[row[0]] ?? 0, row[1])
            }
            return (previous, heads)
        }
    }

    /// The ids of `contactId`'s entries, newest first.
    static func history(_ log: SQLiteAuditStore, _ contactId: String) async throws -> [Int64] {
        try await log.history(AuditHistoryQuery(contactId: contactId, limit: 100)).entries.map(\.auditId)
    }

    @Test func eachEntryLinksToItsContactsPreviousAndTheHeadIsTheLatest() async throws {
        let fixture = try AuditFixture(recordingEveryChange: true)
        let (ada, adaCreate) = try await fixture.create(["name": ["first": "Ada"]])
        let (bob, bobCreate) = try await fixture.create(["name": ["first": "Bob"]])
        let adaUpdate = try await fixture.update(ada, ["company": "Wix"])
        let bobUpdate = try await fixture.update(bob, ["company": "Acme"])
        var merge = fixture.journal(.merge)
        merge.entry.links.mergedFrom = [bob]
        let merged = try await fixture.store.merge(targetId: ada, sourceIds: [bob], targetRevision: nil, journal: merge)
        let bobDeleted = try #require(merged.sourceRecords.first)

        let (previous, heads) = try await Self.links(fixture)
        #expect(
            previous == [
                adaUpdate: adaCreate, bobUpdate: bobCreate, bobDeleted: bobUpdate, merged.targetRecord: adaUpdate,
            ])
        #expect(heads == [ada: merged.targetRecord, bob: bobDeleted])
        // The store's main path writes each head into the row it writes.
        let rowHead = try await fixture.store.database.read { db in
            try Int64.fetchOne(db, sql: "SELECT journal_head FROM contact WHERE id = ?", arguments: [ada])
        }
        #expect(rowHead == merged.targetRecord)

        #expect(try await Self.history(fixture.audit, ada) == [merged.targetRecord, adaUpdate, adaCreate])
        #expect(try await Self.history(fixture.audit, bob) == [bobDeleted, bobUpdate, bobCreate])
        #expect(try await fixture.audit.latestUndoable(contactId: bob)?.auditId == bobDeleted)
        #expect(try await fixture.audit.knownContactIds() == [ada])
        let indexes = try await fixture.store.database.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM pragma_index_list('audit_entry')")
        }
        #expect(!indexes.contains("audit_entry_on_contact"))
        #expect(try await fixture.audit.verify().ok)
    }

    /// The links are not in the hash chain (they are derived), so `verify` checks them on their
    /// own: an edit that would hide entries from a contact's history is found.
    @Test(
        arguments: [
            ("UPDATE audit_entry SET previous_id = NULL WHERE audit_id = 4", 4, "was changed"),
            ("UPDATE audit_entry SET previous_id = 2 WHERE audit_id = 4", 4, "was changed"),
            ("UPDATE audit_entry SET previous_id = 1 WHERE audit_id = 6", 6, "was changed"),
            ("UPDATE contact SET journal_head = 4 WHERE journal_head = 6", 6, "head names another"),
            (
                "INSERT INTO audit_head (contact_id, audit_id) VALUES ('ghost', 3)", nil,
                "names no entry of that contact"
            ),
            ("UPDATE contact SET journal_head = NULL WHERE journal_head = 6", 6, "has no head"),
        ] as [(String, Int64?, String)])
    func anEditedLinkOrHeadFailsVerification(edit: String, auditId: Int64?, reason: String) async throws {
        let fixture = try AuditFixture(recordingEveryChange: true)
        let (ada, _) = try await fixture.create(["name": ["first": "Ada"]])  // 1
        let (bob, _) = try await fixture.create(["name": ["first": "Bob"]])  // 2
        _ = try await fixture.update(bob, ["company": "Acme"])  // 3
        _ = try await fixture.update(ada, ["company": "Wix"])  // 4
        _ = try await fixture.update(bob, ["company": "Beta"])  // 5
        _ = try await fixture.update(ada, ["company": "Later"])  // 6
        #expect(try await fixture.audit.verify().ok)

        try await fixture.store.database.write { db in try db.execute(sql: edit) }
        let verification = try await fixture.audit.verify()
        #expect(!verification.ok)
        #expect(verification.firstBadAuditId == auditId)
        #expect(verification.reason?.contains(reason) == true, "\(verification.reason ?? "")")
    }

    /// A contact's history pages the same walking its chain as an index gave: both orders, a
    /// filter, pages of two, with other contacts' entries between its own.
    @Test func aContactsHistoryPagesInBothOrdersWithAFilter() async throws {
        let fixture = try AuditFixture(recordingEveryChange: true)
        let (ada, adaCreate) = try await fixture.create(["name": ["first": "Ada"]])
        let (bob, _) = try await fixture.create(["name": ["first": "Bob"]])
        var ids = [adaCreate]
        for index in 0..<5 {
            ids.append(try await fixture.update(ada, ["company": .string("C\(index)")]))
            _ = try await fixture.update(bob, ["company": .string("B\(index)")])
        }
        func pages(descending: Bool, operation: AuditOperation? = nil) async throws -> [[Int64]] {
            var pages: [[Int64]] = []
            var cursor: String?
            repeat {
                let page = try await fixture.audit.history(
                    AuditHistoryQuery(
                        contactId: ada, operation: operation, limit: 2, cursor: cursor, descending: descending))
                pages.append(page.entries.map(\.auditId))
                cursor = page.nextCursor
            } while cursor != nil
            return pages
        }
        #expect(try await pages(descending: true) == [[ids[5], ids[4]], [ids[3], ids[2]], [ids[1], ids[0]]])
        #expect(try await pages(descending: false) == [[ids[0], ids[1]], [ids[2], ids[3]], [ids[4], ids[5]]])
        #expect(try await pages(descending: true, operation: .create) == [[ids[0]]])
        #expect(
            try await pages(descending: false, operation: .update) == [[ids[1], ids[2]], [ids[3], ids[4]], [ids[5]]])
    }

    /// A deletion the log does not record (the emulator's) takes the row, and the head it kept,
    /// away; the row trigger keeps the head in `audit_head`, and the entry's `after`.
    @Test func aRowDeletedOutsideTheLogKeepsItsHeadAndAfter() async throws {
        let fixture = try AuditFixture()
        let (id, create) = try await fixture.create(["name": ["first": "Ada"]])
        let update = try await fixture.update(id, ["company": "Wix"])
        try await fixture.store.deleteContact(id: id)

        #expect(try await Self.links(fixture).heads == [id: update])
        let entries = try await fixture.audit.history(AuditHistoryQuery(contactId: id, limit: 10)).entries
        #expect(entries.map(\.auditId) == [update, create])
        #expect(try entries.first?.afterContact()?.info.company == "Wix")
        #expect(try await fixture.audit.verify().ok)
    }

    /// A log written before `audit v7` (an index of each contact's entries, no links, no heads)
    /// gets its links and heads from that index, which then goes; every reader answers as before,
    /// and the chain goes on.
    @Test func aLogFromBeforeChainsReadsTheSameAndGoesOn() async throws {
        let fixture = try AuditFixture(recordingEveryChange: true)
        let (ada, _) = try await fixture.create(["name": ["first": "Ada"]])
        let (bob, _) = try await fixture.create(["name": ["first": "Bob"]])
        for index in 0..<3 {
            _ = try await fixture.update(ada, ["company": .string("C\(index)")])
            _ = try await fixture.update(bob, ["jobTitle": .string("T\(index)")])
        }
        _ = try await fixture.store.delete(id: bob, journal: fixture.journal(.delete))
        let links = try await Self.links(fixture)
        let histories = [
            try await fixture.audit.history(AuditHistoryQuery(contactId: ada, limit: 100)).entries,
            try await fixture.audit.history(AuditHistoryQuery(contactId: bob, limit: 100)).entries,
        ]

        try await fixture.store.database.write { db in
            try db.execute(
                sql: """
                    DROP TRIGGER audit_after_kept_on_contact_update;
                    DROP TRIGGER audit_after_kept_on_contact_delete;
                    DROP TABLE audit_head;
                    ALTER TABLE audit_entry DROP COLUMN previous_id;
                    CREATE INDEX audit_entry_on_contact ON audit_entry(contact_id, audit_id);
                    UPDATE contact SET journal_head = NULL;
                    DELETE FROM grdb_migrations WHERE identifier = 'audit v7: a contact''s entries chained';
                    """)
        }
        let reopened = try SQLiteAuditStore(database: fixture.store.database, clock: fixture.audit.clock)
        #expect(try await Self.links(fixture).previous == links.previous)
        #expect(try await Self.links(fixture).heads == links.heads)
        for (id, before) in zip([ada, bob], histories) {
            let after = try await reopened.history(AuditHistoryQuery(contactId: id, limit: 100)).entries
            #expect(after.map(\.auditId) == before.map(\.auditId))
            #expect(after.map { $0.before?.bytes } == before.map { $0.before?.bytes })
            #expect(after.map { $0.after?.bytes } == before.map { $0.after?.bytes })
        }
        #expect(try await reopened.verify().ok)

        let next = try await fixture.store.commit(
            .update(
                id: ada, patch: try ContactInfoPatch(json: ["company": "Later"]), revision: nil, allowDuplicates: false),
            journal: reopened.journal(AuditJournal.Entry(operation: .update, actor: "t", requestId: nil))
        ).recordId
        let adaHistory = try await Self.history(reopened, ada)
        #expect(adaHistory == [next] + histories[0].map(\.auditId))
        #expect(try await reopened.latestUndoable(contactId: ada)?.auditId == next)
        #expect(try await reopened.verify().ok)
    }
}
