import ContactStore
import Foundation
import GRDB
import Testing

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
