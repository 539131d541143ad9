import ContactAudit
import ContactStore
import Foundation
import GRDB
import JSONCore
import Testing
import WixContacts

/// On a writer without triggers, an update planned from the contact as this process committed it
/// is checked by its row's own `UPDATE` (still at the planned revision, still headed by the
/// planned entry), written with the id the log reserved for its entry, then recorded; nothing
/// reads the row first (`ChangeJournal.reservedRecordId`). A row changed behind the plan is
/// left alone by that `UPDATE`, and the change is applied as before: read, planned again when
/// its revision moved, recorded after the row's real head.
@Suite struct UnreadRowCheckTests {
    @Test func updatesFromMemoryKeepEachRowsHeadAndLinkEveryEntry() async throws {
        let fixture = try AuditFixture(recordingEveryChange: true)
        var latest: [String: Int64] = [:]
        for index in 0..<12 {
            let (id, auditId) = try await fixture.create(["name": ["first": .string("C\(index)")]])
            latest[id] = auditId
        }
        // Three rounds of updates of every contact at once: batches of several, each planned from
        // the state the previous round committed.
        for round in 0..<3 {
            let recorded = try await withThrowingTaskGroup(of: (String, Int64).self) { group in
                for id in latest.keys {
                    group.addTask { (id, try await fixture.update(id, ["company": .string("Co\(round)")])) }
                }
                return try await group.reduce(into: [(String, Int64)]()) { $0.append($1) }
            }
            let rows = try await fixture.store.database.read { db in
                try Dictionary(
                    uniqueKeysWithValues: Row.fetchAll(
                        db, sql: "SELECT id, revision, journal_head FROM contact"
                    ).map { row -> (String, (Int, Int64)) in (row[0], (row[1], row[2])) })
            }
            for (id, auditId) in recorded {
                let previous = try await fixture.store.database.read { db in
                    try Int64.fetchOne(
                        db, sql: "SELECT previous_id FROM audit_entry WHERE audit_id = ?", arguments: [auditId])
                }
                #expect(previous == latest[id], "entry \(auditId) of \(id)")
                #expect(rows[id]?.0 == round + 2)
                #expect(rows[id]?.1 == auditId)
                latest[id] = auditId
            }
        }
        let verification = try await fixture.audit.verify()
        #expect(verification.ok, "\(verification)")
        #expect(verification.entries == 12 * 4)
        let first = try #require(latest.keys.first)
        let history = try await fixture.audit.history(AuditHistoryQuery(contactId: first, limit: 10)).entries
        #expect(history.map(\.revisionAfter) == [4, 3, 2, 1])
        #expect(try history.first?.afterContact()?.info.company == "Co2")
        #expect(try history.first?.beforeContact()?.info.company == "Co1")
    }

    @Test func aRowWhoseHeadMovedBehindThePlanIsRecordedAfterItsRealHead() async throws {
        let fixture = try AuditFixture(recordingEveryChange: true)
        let (ada, created) = try await fixture.create(["name": ["first": "Ada"]])
        let (_, other) = try await fixture.create(["name": ["first": "Bob"]])
        // Same revision, another head: only the head tells the row from the planned one.
        try await fixture.store.database.write { db in
            try db.execute(sql: "UPDATE contact SET journal_head = ? WHERE id = ?", arguments: [other, ada])
        }
        let updated = try await fixture.update(ada, ["company": "Wix"])
        let (previous, head) = try await fixture.store.database.read { db in
            (
                try Int64.fetchOne(
                    db, sql: "SELECT previous_id FROM audit_entry WHERE audit_id = ?", arguments: [updated]),
                try Int64.fetchOne(db, sql: "SELECT journal_head FROM contact WHERE id = ?", arguments: [ada])
            )
        }
        #expect(previous == other)
        #expect(previous != created)
        #expect(head == updated)
        #expect(try await fixture.contact(ada).info.company == "Wix")
    }

    @Test func aRowAnotherStoreChangedIsPlannedAgainFromWhatItHolds() async throws {
        let fixture = try AuditFixture(recordingEveryChange: true)
        let (ada, _) = try await fixture.create(["name": ["first": "Ada"], "company": "Acme"])
        // Another process on the same file moves the contact on; this store's memory of it is
        // now a revision behind.
        let path = fixture.directory.appendingPathComponent("contacts.sqlite").path
        let otherStore = try ContactStore(path: path, configuration: StoreConfiguration())
        let otherAudit = try SQLiteAuditStore(database: otherStore.database, clock: { 1_795_946_500_000 })
        let (_, theirs) = try await otherStore.commit(
            .update(
                id: ada, patch: try ContactInfoPatch(json: ["jobTitle": "CTO"]), revision: 1, allowDuplicates: false),
            journal: otherAudit.journal(AuditJournal.Entry(operation: .update, actor: "other", requestId: nil)))
        // A forceUpdate here is planned from revision 1 in memory; the row is at 2.
        let ours = try await fixture.update(ada, ["company": "Wix"])
        let contact = try await fixture.contact(ada)
        #expect(contact.revision == 3)
        #expect(contact.info.company == "Wix")
        #expect(contact.info.jobTitle == "CTO")
        let entry = try await fixture.audit.entry(id: ours)
        #expect(entry.revisionBefore == 2)
        #expect(try entry.beforeContact()?.info.jobTitle == "CTO")
        let previous = try await fixture.store.database.read { db in
            try Int64.fetchOne(db, sql: "SELECT previous_id FROM audit_entry WHERE audit_id = ?", arguments: [ours])
        }
        #expect(previous == theirs)
        let verification = try await fixture.audit.verify()
        #expect(verification.ok, "\(verification)")
    }
}
