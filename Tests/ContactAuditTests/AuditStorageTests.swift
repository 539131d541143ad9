import ContactAudit
import ContactStore
import Foundation
import GRDB
import JSONCore
import Testing
import WixContacts

/// An update's `before` is stored once: when it equals the `after` of the contact's previous
/// entry, the column is left empty and read from that entry, and every reader sees it whole.
@Suite struct AuditStorageTests {
    static func storedBefore(_ fixture: AuditFixture, _ auditId: Int64) async throws -> Data? {
        try await fixture.store.database.read { db in
            try Row.fetchOne(db, sql: "SELECT before_json FROM audit_entry WHERE audit_id = ?", arguments: [auditId])?[
                0]
        }
    }

    @Test func aBeforeEqualToThePreviousAfterIsStoredOnceAndReadWhole() async throws {
        let fixture = try AuditFixture()
        let (id, created) = try await fixture.create(["name": ["first": "Ada"]])
        let other = try await fixture.create(["name": ["first": "Bob"]]).id
        var ids = [created]
        for index in 0..<3 {
            ids.append(try await fixture.update(id, ["company": .string("C\(index)")]))
            try await fixture.update(other, ["jobTitle": .string("T\(index)")])  // interleaved
        }
        for (previous, auditId) in zip(ids, ids.dropFirst()) {
            #expect(try await Self.storedBefore(fixture, auditId) == nil)
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
        let latest = try await fixture.store.database.read { db in try SQLiteAuditStore.latestUndoable(db, contactId: id) }
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
}
