import Foundation
import GRDB
import Testing

@testable import ContactStore

/// The checkpoint a commit leaves the writer (the catch-up that lets the log restart) runs once
/// the commit is synced and its writes answered, not inside the commit, where they waited for it.
@Suite struct WritersCheckpointTests {
    /// A connection through the WAL-buffering VFS with the checkpointer installed, at the
    /// smallest threshold (64 pages: the background copies, then the writer catches up).
    private static func writer(_ path: String) throws -> (DatabaseQueue, BackgroundCheckpointer) {
        let writer = try DatabaseQueue(path: WALBuffering.openingPath(for: path, durableCommits: true))
        let checkpointer = BackgroundCheckpointer(path: path, busyTimeout: 10, thresholdPages: 64)
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "CREATE TABLE item (n INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
            #expect(WALBuffering.enable(db))
            checkpointer.install(on: db)
        }
        return (writer, checkpointer)
    }

    /// Writes rows of 3 KB, each its own transaction, with the writer's checkpoints deferred,
    /// until a commit leaves one owed; returns the rows written.
    private static func writeUntilACheckpointIsOwed(
        _ writer: DatabaseQueue, _ checkpointer: BackgroundCheckpointer
    ) async throws -> Int {
        let payload = String(repeating: "x", count: 3000)
        checkpointer.defersWritersCheckpoint = true
        defer { checkpointer.defersWritersCheckpoint = false }
        var rows = 0
        try await until("a commit leaves the writer a checkpoint") {
            rows += 1
            try? writer.write { db in
                try db.execute(sql: "INSERT INTO item VALUES (?, ?)", arguments: [rows, payload])
            }
            return checkpointer.owesWritersCheckpoint
        }
        return rows
    }

    /// Frames in the log, as a `PASSIVE` checkpoint reports them.
    private static func logFrames(_ writer: DatabaseQueue) throws -> Int {
        try writer.writeWithoutTransaction { db in
            try #require(try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)"))["log"]
        }
    }

    @Test func aCommitLeavesTheCatchUpOwedAndTheWriterRunsItAfter() async throws {
        try await withScratchDatabasePath("WritersCheckpointTests") { path in
            let (writer, checkpointer) = try Self.writer(path)
            let rows = try await Self.writeUntilACheckpointIsOwed(writer, checkpointer)
            // Past the threshold, and nothing ran inside the commits.
            #expect(rows >= 16)
            #expect(checkpointer.writerStalls.checkpoints == 0)

            try await writer.writeWithoutTransaction { db in checkpointer.runOwedCheckpoint(on: db) }
            #expect(checkpointer.writerStalls.checkpoints == 1)
            #expect(checkpointer.writerStalls.seconds > 0)
            #expect(!checkpointer.owesWritersCheckpoint)
            // Nothing owed, nothing run.
            try await writer.writeWithoutTransaction { db in checkpointer.runOwedCheckpoint(on: db) }
            #expect(checkpointer.writerStalls.checkpoints == 1)

            // The log was wholly copied, so the next write starts it again from its beginning.
            try await writer.write { db in try db.execute(sql: "INSERT INTO item VALUES (0, 'after')") }
            #expect(try Self.logFrames(writer) <= 4)
            let count = try await writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM item") }
            #expect(count == rows + 1)
        }
    }

    @Test func withoutDeferringTheCommitRunsItsCatchUpItself() async throws {
        try await withScratchDatabasePath("WritersCheckpointTests") { path in
            let (writer, checkpointer) = try Self.writer(path)
            let payload = String(repeating: "y", count: 3000)
            var rows = 0
            try await until("a commit runs the writer's catch-up") {
                rows += 1
                try? writer.write { db in
                    try db.execute(sql: "INSERT INTO item VALUES (?, ?)", arguments: [rows, payload])
                }
                return checkpointer.writerStalls.checkpoints == 1
            }
            #expect(!checkpointer.owesWritersCheckpoint)
            try await writer.write { db in try db.execute(sql: "INSERT INTO item VALUES (0, 'after')") }
            #expect(try Self.logFrames(writer) <= 4)
        }
    }

    /// The group commit runs the checkpoint owed once its commit's sync has returned: with that
    /// sync held, the checkpoint waits (still owed); released, the write is answered and the
    /// checkpoint runs.
    @Test func theCommitterRunsTheOwedCheckpointOnceItsWritesAreSynced() async throws {
        try await withScratchDatabasePath("WritersCheckpointTests") { path in
            let (writer, checkpointer) = try Self.writer(path)
            let rows = try await Self.writeUntilACheckpointIsOwed(writer, checkpointer)
            let gate = SyncGate()
            let committer = GroupCommitter(writer: writer, deferSyncs: true, sync: gate.sync, checkpointer: checkpointer) {
                0
            }
            gate.close()
            let answered = Tally()
            let write = Task {
                _ = try await committer.write { db in try db.execute(sql: "INSERT INTO item VALUES (0, 'held')") }
                answered.add()
            }
            try await until("the write's sync is held") { gate.waiting == 1 }
            try await Task.sleep(for: .milliseconds(50))
            #expect(checkpointer.writerStalls.checkpoints == 0)
            #expect(checkpointer.owesWritersCheckpoint)
            #expect(answered.count == 0)
            gate.open()
            try await write.value
            #expect(answered.count == 1)
            // Ran, and counted in the writer's busy time.
            try await until("the owed checkpoint ran") {
                checkpointer.writerStalls.checkpoints == 1
                    && committer.activity.busySeconds >= checkpointer.writerStalls.seconds
            }
            #expect(!checkpointer.owesWritersCheckpoint)
            let count = try await writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM item") }
            #expect(count == rows + 1)
        }
    }
}
