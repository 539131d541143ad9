import CompactJSON
import ContactAudit
import ContactStore
import Foundation
import GRDB
import JSONCore
import Testing
import WixContacts

/// Each contact JSON is stored once. On the embedded store an entry stores its `before` and
/// leaves its `after` to the next entry's `before` or to the contact's row (`ContactRowAfters`);
/// elsewhere (the wix backend's log) it stores its `after` and leaves a `before` equal to the
/// previous entry's `after` out. Every reader sees both whole.
@Suite struct AuditStorageTests {
    static func storedBefore(_ fixture: AuditFixture, _ auditId: Int64) async throws -> Data? {
        try await fixture.store.database.read { db in
            try Row.fetchOne(db, sql: "SELECT before_json FROM audit_entry WHERE audit_id = ?", arguments: [auditId])?[
                0]
        }
    }

    @Test func eachSnapshotIsStoredOnceAndReadWhole() async throws {
        let fixture = try AuditFixture()
        let (id, created) = try await fixture.create(["name": ["first": "Ada"]])
        let other = try await fixture.create(["name": ["first": "Bob"]]).id
        var ids = [created]
        for index in 0..<3 {
            ids.append(try await fixture.update(id, ["company": .string("C\(index)")]))
            try await fixture.update(other, ["jobTitle": .string("T\(index)")])  // interleaved
        }
        #expect(try await Self.storedBefore(fixture, created) == nil)
        for (previous, auditId) in zip(ids, ids.dropFirst()) {
            #expect(try await Self.storedAfter(fixture, previous) == nil)
            #expect(try await Self.storedBefore(fixture, auditId) != nil)
            let entry = try await fixture.audit.entry(id: auditId)
            let previousEntry = try await fixture.audit.entry(id: previous)
            #expect(entry.before?.bytes == previousEntry.after?.bytes)
            #expect(try entry.beforeContact()?.revision == entry.revisionBefore)
        }
        // History and undo read the same entries.
        let page = try await fixture.audit.history(AuditHistoryQuery(contactId: id, limit: 10))
        #expect(page.entries.map(\.auditId) == ids.reversed())
        for entry in page.entries {
            #expect(try await fixture.audit.entry(id: entry.auditId).before?.bytes == entry.before?.bytes)
        }
        #expect(page.entries.last?.before == nil)  // the create
        #expect(page.entries.allSatisfy { $0.after != nil })
        let latest = try await fixture.store.database.read { db in
            try SQLiteAuditStore.latestUndoable(db, contactId: id)
        }
        #expect(try latest?.beforeContact()?.info.company == "C1")
    }

    /// A page resolves a left-out `before` from the entry before it on the same page, or, when
    /// a filter left that entry off the page, from the log: both give the stored entry's bytes.
    @Test func pagesResolveBeforesOnThePageOrFromTheLog() async throws {
        let fixture = try AuditFixture()
        let (id, _) = try await fixture.create(["name": ["first": "Ada"]])
        for index in 0..<6 {
            try await fixture.update(
                id, ["company": .string("C\(index)")], operation: index.isMultiple(of: 2) ? .update : .forceUpdate)
        }
        for query in [
            AuditHistoryQuery(contactId: id, limit: 3),
            AuditHistoryQuery(contactId: id, limit: 3, descending: false),
            AuditHistoryQuery(contactId: id, operation: .forceUpdate),
            AuditHistoryQuery(operation: .update, limit: 2),
        ] {
            let page = try await fixture.audit.history(query)
            #expect(!page.entries.isEmpty)
            for entry in page.entries {
                let alone = try await fixture.audit.entry(id: entry.auditId)
                #expect(entry.before?.bytes == alone.before?.bytes)
                #expect(entry.revisionBefore == nil || entry.before != nil)
            }
        }
    }

    /// A change the log did not see (here, straight through the store) makes the next entry's
    /// `before` differ from the previous `after`: it is stored whole.
    @Test func aBeforeTheLogDidNotSeeIsStoredWhole() async throws {
        let fixture = try AuditFixture()
        let (id, _) = try await fixture.create(["name": ["first": "Ada"]])
        _ = try await fixture.store.update(id: id, patch: ContactInfoPatch(json: ["company": "Unlogged"]), revision: 1)
        let auditId = try await fixture.update(id, ["company": "Logged"])
        #expect(try await Self.storedBefore(fixture, auditId) != nil)
        let entry = try await fixture.audit.entry(id: auditId)
        #expect(try entry.beforeContact()?.info.company == "Unlogged")
        #expect(entry.revisionBefore == 2)
    }

    static func storedAfter(_ fixture: AuditFixture, _ auditId: Int64) async throws -> Data? {
        try await fixture.store.database.read { db in
            try Row.fetchOne(db, sql: "SELECT after_json FROM audit_entry WHERE audit_id = ?", arguments: [auditId])?[0]
        }
    }

    /// A contact's JSON is stored once (issue #20): its latest entry's `after` stays in its row
    /// until the row changes — through the log, around it, or by deletion — and then is copied
    /// into the entry. Every reader sees it whole, and the chain verifies throughout.
    @Test func theLatestAfterIsTheContactsRowUntilItChanges() async throws {
        let fixture = try AuditFixture()
        let (id, created) = try await fixture.create(["name": ["first": "Ada"]])
        // The row keeps the JSON packed (CompactJSON); entries store it as is.
        let storedRow = {
            try await fixture.store.database.read { db in
                try Data.fetchOne(db, sql: "SELECT json FROM contact WHERE id = ?", arguments: [id])
            }
        }
        let row = { try await storedRow().map { Data(try CompactJSON.unpack(Array($0))) } }
        let createdJSON = try await row()
        let createdRow = try #require(try await storedRow())
        #expect(createdRow.first == 0x03 && createdRow.count * 2 < createdJSON?.count ?? 0)
        #expect(try await Self.storedAfter(fixture, created) == nil)
        #expect(try await fixture.audit.entry(id: created).after?.bytes == createdJSON.map(Array.init))
        #expect(try await fixture.audit.verify().ok)

        // Through the log: the update stores the create's after as its before (the row's packed
        // bytes); its own after is the row. No entry is rewritten.
        let updated = try await fixture.update(id, ["company": "Logged"])
        #expect(try await Self.storedAfter(fixture, created) == nil)
        #expect(try await Self.storedBefore(fixture, updated) == createdRow)
        #expect(try await Self.storedAfter(fixture, updated) == nil)
        let loggedJSON = try await row()
        let loggedRow = try await storedRow()
        let history = try await fixture.audit.history(AuditHistoryQuery(contactId: id, limit: 10))
        #expect(history.entries.map { $0.after?.bytes } == [loggedJSON, createdJSON].map { $0.map(Array.init) })
        #expect(history.entries.first?.before?.bytes == createdJSON.map(Array.init))

        // Around the log (as the emulator writes): the triggers copy the row's after into the
        // entry before the row changes (packed, as the row kept it), so it keeps what it recorded.
        _ = try await fixture.store.update(id: id, patch: ContactInfoPatch(json: ["company": "Unlogged"]), revision: 2)
        #expect(try await Self.storedAfter(fixture, updated) == loggedRow)
        #expect(try await fixture.audit.entry(id: updated).after?.bytes == loggedJSON.map(Array.init))
        #expect(try await fixture.audit.entry(id: updated).afterContact()?.info.company == "Logged")
        #expect(try await fixture.audit.verify().ok)

        // A deletion copies the latest after in before the row goes.
        let other = try await fixture.create(["name": ["first": "Bob"]])
        let otherJSON = try await fixture.store.database.read { db in
            try Data.fetchOne(db, sql: "SELECT json FROM contact WHERE id = ?", arguments: [other.id])
        }
        try await fixture.store.deleteContact(id: other.id)
        #expect(try await Self.storedAfter(fixture, other.auditId) == otherJSON)
        #expect(try await fixture.audit.verify().ok)
    }

    /// With the store's writer running no triggers (the gateway's local backend), no entry's
    /// `after` is ever copied out of the row: each is kept by the contact's next entry — an
    /// update's, a merge's or a deletion's `before` — or by the row while it is the latest.
    /// Every reader sees every `after` whole, and the chain verifies.
    @Test func withoutTriggersTheNextEntryKeepsEachAfter() async throws {
        let fixture = try AuditFixture(recordingEveryChange: true)
        let (ada, _) = try await fixture.create(["name": ["first": "Ada"]])
        let (bob, _) = try await fixture.create(["name": ["first": "Bob"], "company": "Acme"])
        let (cy, _) = try await fixture.create(["name": ["first": "Cy"]])
        for index in 0..<2 {
            try await fixture.update(ada, ["company": .string("C\(index)")])
            try await fixture.update(bob, ["jobTitle": .string("T\(index)")])
        }
        var merge = fixture.journal(.merge)
        merge.entry.links.mergedFrom = [bob]
        _ = try await fixture.store.merge(targetId: ada, sourceIds: [bob], targetRevision: nil, journal: merge)
        _ = try await fixture.store.delete(id: cy, journal: fixture.journal(.delete))
        try await fixture.update(ada, ["jobTitle": "Lead"])

        let stored = try await fixture.store.database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_entry WHERE after_json IS NOT NULL")
        }
        #expect(stored == 0, "no after was copied out of a row")
        for id in [ada, bob, cy] {
            let entries = try await fixture.audit.history(AuditHistoryQuery(contactId: id, limit: 20)).entries
            #expect(entries.count >= 2, "\(id)")
            for (newer, older) in zip(entries, entries.dropFirst()) {
                #expect(older.after != nil && older.after?.bytes == newer.before?.bytes, "\(id) #\(older.auditId)")
                #expect(try await fixture.audit.entry(id: older.auditId).after?.bytes == older.after?.bytes)
            }
        }
        let latest = try await fixture.audit.history(AuditHistoryQuery(contactId: ada, limit: 1)).entries.first
        #expect(try latest?.afterContact()?.info.jobTitle == "Lead")
        #expect(try await fixture.audit.verify().ok)
    }
}
