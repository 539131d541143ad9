import ContactStore
import Foundation
import JSONCore
import Testing
import WixContacts

/// An update is planned without a database connection when the cache holds the revision the
/// client sent and the patch needs no lookup; otherwise the caller plans on a connection.
@Suite struct ContactStorePlanInMemoryTests {
    @Test func aCachedRevisionPlansInMemoryAsTheStoreWould() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["name": ["first": "Ada"], "emails": ["items": [["email": "a@x.com"]]]])
            let patch = try ContactInfoPatch(json: ["company": "Wix", "jobTitle": "CTO"])
            let inMemory = try #require(
                try t.store.planUpdateInMemory(id: created.id, patch: patch, revision: 1, allowDuplicates: false))
            let onConnection = try await t.store.database.read { db in
                try t.store.planUpdate(db, id: created.id, patch: patch, revision: 1, allowDuplicates: false)
            }
            #expect(inMemory.before == created)
            #expect(inMemory.after.revision == 2)
            #expect(inMemory.after.info == onConnection.after.info)
            #expect(inMemory.changedFields == ["company", "jobTitle"])
            #expect(inMemory.changedFields == onConnection.changedFields)
            // forceUpdate: no revision sent, the cached one is taken.
            let forced = try t.store.planUpdateInMemory(
                id: created.id, patch: patch, revision: nil, allowDuplicates: false)
            #expect(forced?.after.revision == 2)
        }
    }

    @Test func anotherRevisionOrAPatchThatNeedsLookupsIsPlannedOnAConnection() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["name": ["first": "Ada"]])
            let company = try ContactInfoPatch(json: ["company": "Wix"])
            // A revision the cache does not hold: maybe stale, maybe wrong; the store decides.
            #expect(
                try t.store.planUpdateInMemory(id: created.id, patch: company, revision: 7, allowDuplicates: false)
                    == nil)
            // A contact the cache does not hold.
            #expect(
                try t.store.planUpdateInMemory(id: "id-404", patch: company, revision: 1, allowDuplicates: false) == nil
            )
            // Emails and phones are checked for duplicates, labels and extended fields against catalogs.
            let email = try ContactInfoPatch(json: ["emails": ["items": [["email": "a@x.com"]]]])
            #expect(
                try t.store.planUpdateInMemory(id: created.id, patch: email, revision: 1, allowDuplicates: false) == nil
            )
            #expect(
                try t.store.planUpdateInMemory(id: created.id, patch: email, revision: 1, allowDuplicates: true) != nil)
            let labels = try ContactInfoPatch(json: ["labelKeys": ["items": ["custom.vip"]]])
            #expect(
                try t.store.planUpdateInMemory(id: created.id, patch: labels, revision: 1, allowDuplicates: true) == nil
            )
            let fields = try ContactInfoPatch(json: ["extendedFields": ["items": ["custom.size": "L"]]])
            #expect(
                try t.store.planUpdateInMemory(id: created.id, patch: fields, revision: 1, allowDuplicates: true) == nil
            )
        }
    }

    /// Rules that need no lookup still hold in memory.
    @Test func rulesStillApplyInMemory() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["name": ["first": "Ada"]])
            let badDate = try ContactInfoPatch(json: ["birthdate": "2026-02-30"])
            #expect(throws: ContactsError.self) {
                _ = try t.store.planUpdateInMemory(id: created.id, patch: badDate, revision: 1, allowDuplicates: false)
            }
        }
    }

    /// Only a state remembered from a write that recorded it in the audit log vouches for its
    /// bytes being the latest entry's `after`; a plain write or a read does not.
    @Test func onlyAnAuditedWriteVouchesForTheBefore() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["name": ["first": "Ada"]])
            let patch = try ContactInfoPatch(json: ["company": "Wix"])
            // `create` writes through `write(change:)`: nothing recorded.
            let plain = try #require(
                try t.store.planUpdateInMemory(id: created.id, patch: patch, revision: 1, allowDuplicates: false))
            #expect(!plain.beforeIsAudited)
            _ = try await t.store.write(auditedChange: { db in
                try t.store.apply(plain, in: db)
                return ((), plain)
            })
            let audited = try #require(
                try t.store.planUpdateInMemory(id: created.id, patch: patch, revision: 2, allowDuplicates: false))
            #expect(audited.beforeIsAudited)
            #expect(audited.beforeSnapshot?.json.bytes == plain.snapshot.json.bytes)
            // On a connection from the cache, the same; from the store, never.
            let (fromCache, fromStore) = try await t.store.database.read { db in
                (
                    try t.store.planUpdate(
                        db, id: created.id, patch: patch, revision: 2, allowDuplicates: false, fromCache: true),
                    try t.store.planUpdate(db, id: created.id, patch: patch, revision: 2, allowDuplicates: false)
                )
            }
            #expect(fromCache.beforeIsAudited)
            #expect(!fromStore.beforeIsAudited)
        }
    }
}
