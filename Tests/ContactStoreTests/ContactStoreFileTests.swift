import ContactStore
import Foundation
import GRDB
import SharedDatabase
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

    /// A start's migrations, the store's and the other schemas it is handed, commit before the
    /// writer syncs every commit: a new file's start costs no sync for them.
    @Test func migrationsCommitBeforeTheWriterSyncs() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ContactStoreDurabilityTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Named as the audit log's are: the store owns every other migration of the file.
        var probe = SchemaMigrator(name: "The probe", owns: { $0.hasPrefix("audit probe ") })
        probe.register("audit probe v1: the writer's setting") { db in
            try db.execute(sql: "CREATE TABLE probe (synchronous INTEGER NOT NULL)")
            try db.execute(sql: "INSERT INTO probe SELECT synchronous FROM pragma_synchronous")
        }
        let path = directory.appendingPathComponent("contacts.sqlite").path
        for _ in 0..<2 {
            let store = try ContactStore(path: path, migratingAlso: [probe])
            let (seen, now, storeTables) = try store.database.writeWithoutTransaction { db in
                (
                    try Int.fetchAll(db, sql: "SELECT synchronous FROM probe"),
                    try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'contact'")
                )
            }
            // Migrated once, at NORMAL (1); the writer is FULL (2) from then on, and the second
            // open finds both schemas up to date.
            #expect(seen == [1])
            #expect(now == 2)
            #expect(storeTables == 1)
        }
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
