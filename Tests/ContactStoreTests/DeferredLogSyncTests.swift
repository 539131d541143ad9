import Foundation
import GRDB
import Testing
import WixContacts

@testable import ContactStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The group commit's log sync on its own thread (``LogSyncer``): a commit is synced while the
/// next transaction runs, its writes are answered only after that sync, and a checkpoint never
/// copies a log that is not yet durable. The sync is the real one, behind a gate the test opens
/// (the injected fault: a slow or failing disk).
@Suite struct DeferredLogSyncTests {
    private static func withDatabasePath<T>(_ body: (String) async throws -> T) async throws -> T {
        try await withScratchDatabasePath("DeferredLogSyncTests", body)
    }

    /// A connection through the WAL-buffering VFS, syncing each commit, buffering its log.
    private static func bufferedWriter(_ path: String) throws -> DatabaseQueue {
        let writer = try DatabaseQueue(path: WALBuffering.openingPath(for: path, durableCommits: true))
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "CREATE TABLE item (n INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
            #expect(WALBuffering.enable(db))
        }
        return writer
    }

    @Test func aCommitLeavesItsSyncToTheCallerAndACheckpointMakesItsOwn() async throws {
        try await Self.withDatabasePath { path in
            let writer = try Self.bufferedWriter(path)
            try writer.write { db in try db.execute(sql: "INSERT INTO item VALUES (1, 'one')") }
            try writer.writeWithoutTransaction { db in
                let descriptor = try #require(WALBuffering.deferCommitSyncs(db))
                defer { WALBuffering.syncCommitsInPlace(db) }
                let before = try #require(WALBuffering.statistics(db))
                try db.execute(sql: "INSERT INTO item VALUES (2, 'two')")
                try db.execute(sql: "INSERT INTO item VALUES (3, 'three')")
                let deferred = try #require(WALBuffering.statistics(db))
                #expect(deferred.deferredSyncs - before.deferredSyncs == 2)
                #expect(deferred.syncs == before.syncs)
                // Published at once: another connection reads both commits.
                let seen = try DatabaseQueue(path: path).read { db in
                    try String.fetchAll(db, sql: "SELECT payload FROM item ORDER BY n")
                }
                #expect(seen == ["one", "two", "three"])
                #expect(fsync(descriptor) == 0)
                // A checkpoint on this connection first syncs the log itself, though deferring.
                try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)")
                let checkpointed = try #require(WALBuffering.statistics(db))
                #expect(checkpointed.syncs == deferred.syncs + 1)
                #expect(checkpointed.deferredSyncs == deferred.deferredSyncs)
            }
            // Deferring is off again: the next commit syncs in place (the log starts again after
            // the checkpoint, so its new header is synced too).
            let before = try #require(try writer.read { db in WALBuffering.statistics(db) })
            try writer.write { db in try db.execute(sql: "INSERT INTO item VALUES (4, 'four')") }
            let after = try #require(try writer.read { db in WALBuffering.statistics(db) })
            #expect(after.syncs > before.syncs)
            #expect(after.deferredSyncs == before.deferredSyncs)
        }
    }

    @Test func writesArrivingDuringASyncShareTheNextTransactionAndWaitForTheirOwnSync() async throws {
        try await Self.withDatabasePath { path in
            let writer = try Self.bufferedWriter(path)
            let gate = SyncGate()
            let commits = Tally()
            let committer = GroupCommitter(writer: writer, deferSyncs: true, sync: gate.sync) {
                UInt64(commits.add())
            }
            gate.close()
            let ran = Tally()
            let answered = Tally()
            let first = Task {
                let value = try await committer.write { db in
                    try db.execute(sql: "INSERT INTO item VALUES (0, 'first')")
                    ran.add()
                }
                answered.add()
                return value
            }
            try await until("the first commit waits for its sync") { gate.waiting == 1 }
            #expect(commits.count == 1)
            #expect(answered.count == 0)
            let later = (1...10).map { n in
                Task {
                    _ = try await committer.write { db in
                        try db.execute(sql: "INSERT INTO item VALUES (?, 'later')", arguments: [n])
                        ran.add()
                    }
                    answered.add()
                }
            }
            // All ten reach the writer, which runs them in the open transaction (as they come,
            // eight at a time, or once the sync is done) while the first commit's sync is held.
            try await until("the ten later writes arrived") { committer.receivedWrites == 11 }
            #expect(commits.count == 1)
            #expect(answered.count == 0)
            gate.open()
            _ = try await first.value
            for task in later { try await task.value }
            #expect(commits.count == 2)
            #expect(gate.completed == 2)
            #expect(ran.count == 11)
            #expect(answered.count == 11)
            #expect(committer.syncer.isDurable(through: committer.syncer.publishedCommits))
            let rows = try await DatabaseQueue(path: path).read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM item")
            }
            #expect(rows == 11)
        }
    }

    @Test func aFailedSyncFailsItsWritesAndLaterCommitsSyncInPlace() async throws {
        try await Self.withDatabasePath { path in
            let writer = try Self.bufferedWriter(path)
            let gate = SyncGate(failing: EIO)
            let committer = GroupCommitter(writer: writer, deferSyncs: true, sync: gate.sync) { 0 }
            await #expect {
                try await committer.write { db in try db.execute(sql: "INSERT INTO item VALUES (1, 'one')") }
            } throws: { error in
                (error as? DatabaseError)?.extendedResultCode == .SQLITE_IOERR_FSYNC
            }
            #expect(!committer.syncer.isDeferring)
            _ = try await committer.write { db in try db.execute(sql: "INSERT INTO item VALUES (2, 'two')") }
            #expect(gate.completed == 1)
            let synced = try #require(try await writer.read { db in WALBuffering.statistics(db) })
            #expect(synced.deferredSyncs == 1)
            #expect(committer.syncer.isDurable(through: committer.syncer.publishedCommits))
        }
    }

    @Test func aStoreCommitIsReadableBeforeItIsDurableAndItsWaitersLeaveAfter() async throws {
        try await Self.withDatabasePath { path in
            let gate = SyncGate()
            var configuration = StoreConfiguration()
            configuration.logSync = gate.sync
            let store = try ContactStore(path: path, configuration: configuration)
            let created = try await store.create(patch: ContactInfoPatch(json: ["name": ["first": "Ada"]])).after
            #expect(store.visibleChangesAreDurable)
            gate.close()
            let update = Task {
                try await store.update(
                    id: created.id, patch: ContactInfoPatch(json: ["company": "Wix"]), revision: created.revision)
            }
            try await until("the update's commit waits for its sync") { gate.waiting == 1 }
            #expect(!store.visibleChangesAreDurable)
            let revision = try await store.database.read { db in
                try Int.fetchOne(db, sql: "SELECT revision FROM contact WHERE id = ?", arguments: [created.id])
            }
            #expect(revision == created.revision + 1)
            let left = Tally()
            let waiter = Task {
                await store.waitUntilVisibleChangesAreDurable()
                left.add()
            }
            try await Task.sleep(for: .milliseconds(50))
            #expect(left.count == 0)
            gate.open()
            let updated = try await update.value
            await waiter.value
            #expect(left.count == 1)
            #expect(updated.after.revision == created.revision + 1)
            #expect(store.visibleChangesAreDurable)
        }
    }
}

/// Runs `body` with a database path in a scratch directory of its own (named after `suite`),
/// removed when it returns.
func withScratchDatabasePath<T>(_ suite: String, _ body: (String) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(suite)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory.appendingPathComponent("contacts.sqlite").path)
}

/// Polls `condition` every few milliseconds; fails the test after 60 seconds (the whole suite
/// may be running beside it on two cores, and the crash and fault tests' writes can stall a
/// commit's own for tens of seconds: a full run once took 25 s to create this test's file).
func until(_ what: String, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(60)
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting until \(what)")
            throw CancellationError()
        }
        try await Task.sleep(for: .milliseconds(2))
    }
}

/// The log sync as a test controls it: while closed, a sync waits (at most two minutes) for
/// `open()`; then it syncs for real, or fails with `failing`.
final class SyncGate: @unchecked Sendable {
    private let condition = NSCondition()
    private var isClosed = false
    private var waitingCount = 0
    private var completedCount = 0
    private let failure: Int32

    init(failing failure: Int32 = 0) {
        self.failure = failure
    }

    /// For ``StoreConfiguration/logSync``.
    var sync: @Sendable (Int32) -> Int32 {
        { descriptor in self.run(descriptor) }
    }

    /// Syncs waiting for `open()` right now.
    var waiting: Int { condition.withLock { waitingCount } }
    /// Syncs done.
    var completed: Int { condition.withLock { completedCount } }

    func close() { condition.withLock { isClosed = true } }

    func open() {
        condition.withLock {
            isClosed = false
            condition.broadcast()
        }
    }

    private func run(_ descriptor: Int32) -> Int32 {
        condition.withLock {
            waitingCount += 1
            let deadline = Date().addingTimeInterval(120)
            while isClosed, condition.wait(until: deadline) {}
            waitingCount -= 1
        }
        let result = failure != 0 ? failure : (fsync(descriptor) == 0 ? 0 : errno)
        condition.withLock { completedCount += 1 }
        return result
    }
}

/// A thread-safe count.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    var count: Int { lock.withLock { value } }

    @discardableResult
    func add() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}
