import ContactStore
import Foundation
import GRDB
import JSONCore
import Testing
import WixContacts

/// `contacts.get` answers from memory only while this process's own commit is the latest: the
/// commit counter in `<database>-epoch` tells it when another process has committed since.
@Suite struct ContactStoreEpochTests {
    static func withTwoStores(_ body: (ContactStore, ContactStore, String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ContactStoreEpochTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("contacts.sqlite").path
        let configuration = StoreConfiguration(durableCommits: false)
        let first = try ContactStore(path: path, configuration: configuration)
        let second = try ContactStore(path: path, configuration: configuration)
        try await body(first, second, path)
    }

    static func company(_ snapshot: ContactSnapshot) throws -> String? {
        try snapshot.contact().info.company
    }

    @Test func aGetSeesAnotherStoresCommitOnTheSameFile() async throws {
        try await Self.withTwoStores { first, second, _ in
            let id = try await first.create(patch: ContactInfoPatch(json: ["name": ["first": "Ada"]])).after.id
            _ = try await first.update(id: id, patch: ContactInfoPatch(json: ["company": "One"]), revision: 1)
            #expect(try Self.company(await first.snapshot(id: id)) == "One")
            // The other store commits; the first one's memory is no longer the latest.
            _ = try await second.update(id: id, patch: ContactInfoPatch(json: ["company": "Two"]), revision: 2)
            let seen = try await first.snapshot(id: id)
            #expect(seen.revision == 3)
            #expect(try Self.company(seen) == "Two")
            #expect(try Self.company(#require(try first.snapshotImmediately(id: id))) == "Two")
            // Its own next commit is the latest again.
            _ = try await first.update(id: id, patch: ContactInfoPatch(json: ["company": "Three"]), revision: 3)
            #expect(try Self.company(await first.snapshot(id: id)) == "Three")
            #expect(try Self.company(await second.snapshot(id: id)) == "Three")
        }
    }

    /// What the counter buys, and what it relies on: a process that committed a contact last
    /// answers from memory, without reading; a write that bumps the counter (as every gateway
    /// process's does) is seen at once. A write behind the gateways' back is not seen until the
    /// next bump — the database belongs to the gateway processes.
    @Test func memoryAnswersUntilTheCounterMoves() async throws {
        try await Self.withTwoStores { first, second, path in
            let id = try await first.create(patch: ContactInfoPatch(json: ["name": ["first": "Ada"]])).after.id
            _ = try await first.update(id: id, patch: ContactInfoPatch(json: ["company": "Mine"]), revision: 1)
            let outside = try DatabaseQueue(path: path)
            try await outside.write { db in
                try db.execute(sql: "UPDATE contact SET revision = 99 WHERE id = ?", arguments: [id])
            }
            #expect(try await first.snapshot(id: id).revision == 2)  // from memory
            // Any commit through a store moves the counter, here one on another contact.
            _ = try await second.create(patch: ContactInfoPatch(json: ["name": ["first": "Bob"]]))
            #expect(try await first.snapshot(id: id).revision == 99)
        }
    }

    @Test func theCounterFileTakesTheDatabaseFilesPermissions() async throws {
        try await Self.withTwoStores { _, _, path in
            let database = try FileManager.default.attributesOfItem(atPath: path)
            let counter = try FileManager.default.attributesOfItem(atPath: path + "-epoch")
            #expect(counter[.posixPermissions] as? NSNumber == database[.posixPermissions] as? NSNumber)
            #expect(counter[.size] as? NSNumber == 8)
        }
    }
}
