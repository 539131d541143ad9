import ContactAudit
import ContactStore
import Foundation
import GRDB
import JSONCore
import Testing
import WixContacts

@Suite struct SQLiteAuditStoreTests {
    @Test func entryHoldsSnapshotsRevisionsAndChangedFields() async throws {
        let fixture = try AuditFixture()
        let (id, _) = try await fixture.create(["name": ["first": "Ada"]])
        let auditId = try await fixture.update(id, ["company": "Wix", "name": ["first": "Ada", "last": "L"]])
        let entry = try await fixture.audit.entry(id: auditId)
        #expect(entry.operation == .update)
        #expect(entry.revisionBefore == 1)
        #expect(entry.revisionAfter == 2)
        #expect(entry.changedFields == ["info.name", "info.company"])
        #expect(try entry.beforeContact()?.info.company == nil)
        #expect(try entry.afterContact()?.info.company == "Wix")
        let stored = try await fixture.contact(id)
        #expect(try entry.afterContact() == stored)
        #expect(entry.timestamp.hasPrefix("2026-11-29T10:00:00."))
    }

    /// The standalone log of the remote backend syncs at every commit, though its pool sets up
    /// WAL mode with `synchronous = NORMAL`.
    @Test func aStandaloneLogCommitsDurably() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).sqlite")
            .path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let log = try SQLiteAuditStore.open(path: path, clock: { 0 })
        let synchronous = try log.database.writeWithoutTransaction { db in
            try Int.fetchOne(db, sql: "PRAGMA synchronous")
        }
        #expect(synchronous == 2)
    }

    /// A log migrated by a newer build is refused, not misread.
    @Test func aLogFromANewerBuildIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).sqlite")
            .path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let log = try SQLiteAuditStore.open(path: path, clock: { 0 })
        try log.database.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('audit v9: from the future')")
        }
        #expect {
            _ = try SQLiteAuditStore.open(path: path, clock: { 0 })
        } throws: { error in
            (error as? ContactsError)?.message.contains("audit v9: from the future") == true
        }
    }

    @Test func auditIdsIncreaseStrictly() async throws {
        let fixture = try AuditFixture()
        let (id, first) = try await fixture.create(["name": ["first": "Ada"]])
        var previous = first
        for index in 0..<10 {
            let next = try await fixture.update(id, ["jobTitle": .string("t\(index)")])
            #expect(next > previous)
            previous = next
        }
    }

    @Test func missingEntryIsAuditEntryNotFound() async throws {
        let fixture = try AuditFixture()
        await #expect {
            _ = try await fixture.audit.entry(id: 99)
        } throws: { error in
            (error as? ContactsError)?.code == .auditEntryNotFound && (error as? ContactsError)?.httpStatus == 404
        }
    }

    @Test func historyPagesAreStableWhileEntriesArrive() async throws {
        let fixture = try AuditFixture()
        let (id, _) = try await fixture.create(["name": ["first": "Ada"]])
        for index in 0..<24 { try await fixture.update(id, ["jobTitle": .string("t\(index)")]) }
        var seen: [Int64] = []
        var cursor: String?
        repeat {
            let page = try await fixture.audit.history(AuditHistoryQuery(contactId: id, limit: 10, cursor: cursor))
            seen += page.entries.map(\.auditId)
            cursor = page.nextCursor
            // New entries arriving between pages land before the first page: no duplicates, no gaps.
            try await fixture.update(id, ["company": .string("c\(seen.count)")])
        } while cursor != nil
        #expect(seen == Array((1...25).reversed()))
    }

    @Test func historyFiltersByOperationTimeAndOrder() async throws {
        let fixture = try AuditFixture()
        let (id, _) = try await fixture.create(["name": ["first": "Ada"]])
        try await fixture.update(id, ["company": "A"])
        try await fixture.update(id, ["company": "B"], operation: .forceUpdate)
        let forced = try await fixture.audit.history(AuditHistoryQuery(operation: .forceUpdate))
        #expect(forced.entries.map(\.auditId) == [3])
        let ascending = try await fixture.audit.history(AuditHistoryQuery(descending: false))
        #expect(ascending.entries.map(\.auditId) == [1, 2, 3])
        let second = try await fixture.audit.entry(id: 2)
        let since = Timestamp.millisecondsSince1970(rfc3339: second.timestamp)
        let later = try await fixture.audit.history(AuditHistoryQuery(since: since))
        #expect(later.entries.map(\.auditId) == [3, 2])
        let earlier = try await fixture.audit.history(AuditHistoryQuery(until: since))
        #expect(earlier.entries.map(\.auditId) == [1])
    }

    @Test func foreignCursorIsRejected() async throws {
        let fixture = try AuditFixture()
        await #expect(throws: ContactsError.self) {
            _ = try await fixture.audit.history(AuditHistoryQuery(cursor: "not-a-cursor"))
        }
    }
}
