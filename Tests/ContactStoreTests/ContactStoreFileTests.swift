import ContactStore
import Foundation
import GRDB
import Testing
import WixContacts

/// Commits are durable by default: the writer connection, which makes every commit, syncs the
/// log at each one (`synchronous = FULL`), though the pool sets up WAL mode with `NORMAL`.
@Suite struct ContactStoreDurabilityTests {
    @Test(arguments: [(true, 2), (false, 1)])
    func theWriterSyncsAsConfigured(durable: Bool, expected: Int) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ContactStoreDurabilityTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try ContactStore(
            path: directory.appendingPathComponent("contacts.sqlite").path,
            configuration: StoreConfiguration(durableCommits: durable))
        let synchronous = try store.database.writeWithoutTransaction { db in
            try Int.fetchOne(db, sql: "PRAGMA synchronous")
        }
        #expect(synchronous == expected)
        // The default is durable.
        #expect(StoreConfiguration().durableCommits)
    }
}

/// A file migrated by a newer build is refused, not misread; the audit log's migrations in the
/// same file are not the store's concern.
@Suite struct ContactStoreMigrationTests {
    @Test func aFileFromANewerBuildIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ContactStoreMigrationTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("contacts.sqlite").path
        do {
            let store = try ContactStore(path: path, configuration: StoreConfiguration(durableCommits: false))
            try store.database.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('audit v9: from the future')")
            }
        }
        // Another module's newer migration: still opens.
        _ = try ContactStore(path: path, configuration: StoreConfiguration(durableCommits: false))
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2: from the future')")
        }
        try queue.close()
        #expect {
            _ = try ContactStore(path: path, configuration: StoreConfiguration(durableCommits: false))
        } throws: { error in
            (error as? ContactsError)?.message.contains("v2: from the future") == true
        }
    }
}
