import ContactStore
import Foundation
import JSONCore
import Testing
import GRDB
import WixContacts

/// The write-ahead log is checkpointed in the background, not by the writer's commits.
@Suite struct ContactStoreCheckpointTests {
    /// Enough writes to pass a 500-page threshold several times: the main database file
    /// grows while the store is still open, which only a checkpoint does (the writer's own
    /// automatic checkpoint is replaced by the hook), and the log is reused rather than growing
    /// with every write.
    @Test func backgroundCheckpointCopiesTheLogIntoTheDatabaseFile() async throws {
        try await TestStore.with(checkpointPages: 500) { t in
            let path = t.directory.appendingPathComponent("contacts.sqlite").path
            let initialSize = try Self.size(of: path)
            let padding = String(repeating: "x", count: 3000)
            var ids: [String] = []
            for index in 0..<400 {
                ids.append(try await t.create(["name": ["first": .string("C\(index) \(padding)")]]).id)
            }
            let deadline = ContinuousClock.now + Self.patience
            while try Self.size(of: path) <= initialSize, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(try Self.size(of: path) > initialSize + 1_000_000)
            // Everything written is still readable, whichever file holds it now.
            let last = try await t.read(try #require(ids.last))
            #expect(last.info.name?.first == "C399 \(padding)")
            #expect(try await t.store.count() == 400)
        }
    }

    /// The checkpoints the writer runs itself, the catch-ups that let the log restart once the
    /// background has copied nearly all of it, are counted with their time in the writer's
    /// activity (`gateway.status`), inside its busy time: every write queued behind one waits.
    @Test func theWritersOwnCheckpointsAreCountedWithTheirTime() async throws {
        try await TestStore.with(checkpointPages: 500) { t in
            #expect(t.store.writerActivity.checkpoints == 0)
            let padding = String(repeating: "x", count: 3000)
            let deadline = ContinuousClock.now + Self.patience
            var created = 0
            // A few thousand pages: the log passes the threshold several times and restarts.
            while t.store.writerActivity.checkpoints == 0, created < 3000, ContinuousClock.now < deadline {
                _ = try await t.create(["name": ["first": .string("C\(created) \(padding)")]])
                created += 1
            }
            let activity = t.store.writerActivity
            #expect(activity.checkpoints >= 1, "no catch-up after \(created) creates")
            #expect(activity.checkpointSeconds > 0)
            #expect(activity.checkpointSeconds <= activity.busySeconds)
            #expect(try await t.store.count() == created)
        }
    }

    /// A pool that outlives its store (the audit log holds it too) still checkpoints: inline,
    /// at SQLite's default threshold, once the background checkpointer is gone.
    @Test func aPoolThatOutlivesItsStoreStillCheckpoints() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ContactStoreCheckpointTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("contacts.sqlite").path
        var store: ContactStore? = try ContactStore(
            path: path, configuration: StoreConfiguration(durableCommits: false))
        let pool = try #require(store?.database)
        store = nil
        let initialSize = try Self.size(of: path)
        let padding = String(repeating: "x", count: 3000)
        for index in 0..<700 {
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO label (key, display_name) VALUES (?, ?)", arguments: ["custom.\(index)", padding])
            }
        }
        // Inline: the file has grown by the time the writes return, and the log was restarted
        // near 1,000 pages (4 MB), not left to reach the 2,000 of a falling-behind checkpointer.
        #expect(try Self.size(of: path) > initialSize + 1_000_000)
        #expect(try Self.size(of: path + "-wal") < 6_000_000)
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM label") } == 700)
    }

    /// How long a wait here may take: beside the whole suite on two cores, the crash and fault
    /// tests' writes have stalled one create for over 20 seconds (as `until` allows, 60).
    static let patience = Duration.seconds(60)

    static func size(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.size] as? NSNumber)?.intValue ?? 0
    }
}
