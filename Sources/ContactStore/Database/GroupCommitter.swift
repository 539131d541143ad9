import Atomics
import FastSQLite
import Foundation
import GRDB
import SharedDatabase

/// Runs writes that arrive at the same moment in one SQLite transaction (group commit), so that
/// one failing write does not fail its neighbours.
///
/// With `synchronous=FULL` every commit costs an fsync; batching turns N fsyncs into one while
/// each caller still gets its answer only after its write is durable.
///
/// When the log's VFS can leave that sync to us (``LogSyncer``), the writer does not wait for
/// it: a transaction commits, its sync starts on the syncer's thread, and the writes that
/// arrive meanwhile run in the next transaction (eight at a time: waking the writer for each
/// one cost 15 % more CPU per write), which commits as soon as that sync is done (or when it
/// holds `maximumBatch` writes). The writer's work and the disk's then overlap, and each
/// transaction still gathers every write that arrived during one sync. A write is answered
/// once the sync after its commit has returned, as before.
///
/// A batch first runs without savepoints: writes rarely fail, and a savepoint per write costs
/// two statements and a copy of every page it touches. When one does fail (having perhaps
/// written part of its change), the whole transaction is rolled back and the batch runs again
/// with each write in its own savepoint, so the failure stays its own.
final class GroupCommitter: @unchecked Sendable {
    private let writer: any DatabaseWriter
    /// Guards `pending`, `isDraining` and `received`; the writer waits on it for more writes
    /// while a sync runs. `@exclusivity(unchecked)` here and below: Swift's run-time check only
    /// catches overlapping accesses on one thread, and none of these calls out while it lasts.
    private let lock: NSCondition
    @exclusivity(unchecked) private var pending: [Job] = []
    @exclusivity(unchecked) private var isDraining = false
    @exclusivity(unchecked) private var received = 0
    private let queue = DispatchQueue(label: "contacts-gateway.group-commit")

    /// Writes that wake a writer waiting for more while a sync runs.
    static let wakeBatch = 8

    /// Writes handed to the committer so far.
    var receivedWrites: Int { lock.withLock { received } }

    /// What the writer has done so far (guarded by `lock`).
    @exclusivity(unchecked) private var done = WriterActivity()
    /// Nanoseconds the writer has waited for more writes during the current transaction (only
    /// the drain, one at a time, touches it).
    @exclusivity(unchecked) private var waitedNanoseconds: UInt64 = 0

    /// Nanoseconds writes waited for their commit's sync, and then for their task to run again,
    /// summed over writes (``WriterActivity``): added on the syncer's thread and the pool's.
    private let awaitingSyncNanoseconds = ManagedAtomic<UInt64>(0)
    private let resumingNanoseconds = ManagedAtomic<UInt64>(0)

    /// What the writer has done so far, with the syncs its commits left to ``syncer``.
    var activity: WriterActivity {
        var activity = lock.withLock { done }
        (activity.syncs, activity.syncSeconds) = syncer.activity
        activity.awaitingSyncSeconds = Double(awaitingSyncNanoseconds.load(ordering: .relaxed)) / 1e9
        activity.resumingSeconds = Double(resumingNanoseconds.load(ordering: .relaxed)) / 1e9
        return activity
    }

    /// The most writes folded into one transaction.
    let maximumBatch: Int

    /// Called on the writer's queue after each successful commit, before any of its writes is
    /// answered; what it returns is handed to each of them.
    private let didCommit: @Sendable () -> UInt64

    /// Syncs the log after the commits that left it their sync.
    let syncer: LogSyncer

    /// Copies the log into the database file; a checkpoint a commit leaves the writer runs once
    /// that commit's writes are answered, not before.
    private let checkpointer: BackgroundCheckpointer?

    private struct Job {
        /// When it was handed to the writer (``WriterClock/wall()``).
        let handedAt: UInt64
        /// Runs the write, in its own savepoint when `isolated`; returns whether it succeeded.
        let run: (_ db: Database, _ isolated: Bool) -> Bool
        /// Answers the write: with the commit's error or the sync's, if any, the commit's stamp,
        /// and the time it is answered at.
        let finish: (_ error: (any Error)?, _ stamp: UInt64, _ answeredAt: UInt64) -> Void
    }

    /// A committer for `writer`'s connection. With `deferSyncs`, commits leave their log sync to
    /// a ``LogSyncer`` that syncs with `sync` (tests inject a slow or failing one). The
    /// `checkpointer` installed on that connection, if any, has the writer's own checkpoints
    /// run after each transaction's writes are answered.
    init(
        writer: any DatabaseWriter, maximumBatch: Int = 256, deferSyncs: Bool = false,
        sync: LogSyncer.Sync? = nil, checkpointer: BackgroundCheckpointer? = nil,
        didCommit: @escaping @Sendable () -> UInt64
    ) {
        self.writer = writer
        self.checkpointer = checkpointer
        self.maximumBatch = maximumBatch
        self.didCommit = didCommit
        let lock = NSCondition()
        self.lock = lock
        let becameIdle: @Sendable () -> Void = { lock.withLock { lock.broadcast() } }
        syncer =
            if let sync {
                LogSyncer(enabled: deferSyncs, sync: sync, becameIdle: becameIdle)
            } else {
                LogSyncer(enabled: deferSyncs, becameIdle: becameIdle)
            }
    }

    /// Runs `body` in the next group transaction (isolated from the other writes in it) and
    /// returns, once that transaction has committed, its result and what `didCommit` said of the
    /// commit.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> (T, UInt64) {
        let outcome = OutcomeBox<T>()
        // Answered, whether it succeeded or not, only once its transaction's sync is done.
        defer {
            resumingNanoseconds.wrappingIncrement(by: WriterClock.wall() &- outcome.answeredAt, ordering: .relaxed)
            AnswerDurability.current?.noteDurableWrite()
        }
        return try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<(T, UInt64), any Error>) in
            let job = Job(
                handedAt: WriterClock.wall(),
                run: { db, isolated in
                    do {
                        if isolated {
                            try Savepoint.run(in: db) { outcome.result = .success(try body(db)) }
                        } else {
                            outcome.result = .success(try body(db))
                        }
                        return true
                    } catch {
                        outcome.result = .failure(error)
                        return false
                    }
                },
                finish: { commitError, stamp, answeredAt in
                    outcome.answeredAt = answeredAt
                    switch outcome.result {
                    case .success(let value)?:
                        if let commitError {
                            continuation.resume(throwing: commitError)
                        } else {
                            continuation.resume(returning: (value, stamp))
                        }
                    case .failure(let error)?:
                        continuation.resume(throwing: error)
                    case nil:
                        continuation.resume(throwing: commitError ?? CancellationError())
                    }
                }
            )
            enqueue(job)
        }
    }

    private func enqueue(_ job: Job) {
        let startDrain = lock.withLock { () -> Bool in
            pending.append(job)
            received += 1
            // A writer waiting for more writes while a sync runs is woken once enough have come.
            if isDraining {
                if pending.count >= Self.wakeBatch { lock.signal() }
                return false
            }
            isDraining = true
            return true
        }
        if startDrain { queue.async { self.drain() } }
    }

    private func drain() {
        while true {
            var jobs = takeJobs(upTo: maximumBatch)
            if jobs.isEmpty { return }
            let started = (wall: WriterClock.wall(), cpu: WriterClock.threadCPU())
            var taken = TakenWrites()
            taken.take(jobs, at: started.wall)
            waitedNanoseconds = 0
            var commitError: (any Error)?
            var descriptor: Int32?
            var published: UInt64 = 0
            let publish = { [syncer] in published = syncer.publish() }
            do {
                try writer.writeWithoutTransaction { db in
                    // A checkpoint the commit leaves the writer waits until its writes are answered.
                    checkpointer?.defersWritersCheckpoint = true
                    defer { checkpointer?.defersWritersCheckpoint = false }
                    if syncer.isDeferring { descriptor = WALBuffering.deferCommitSyncs(db) }
                    defer { if descriptor != nil { WALBuffering.syncCommitsInPlace(db) } }
                    let deferred = descriptor != nil
                    let allSucceeded = try Transaction.run(in: db, beforeCommit: deferred ? publish : nil) {
                        // What every write would read and rewrite (the chain head) is kept in
                        // memory for the batch and written once, before the commit.
                        try TransactionMemo.run(on: db) {
                            guard Self.run(jobs, in: db) else { return false }
                            while deferred, jobs.count < maximumBatch,
                                let (more, syncDone) = takeJobsWhileSyncing(upTo: maximumBatch - jobs.count)
                            {
                                taken.take(more, at: WriterClock.wall())
                                jobs += more
                                guard Self.run(more, in: db) else { return false }
                                if syncDone { break }
                            }
                            return true
                        }
                    }
                    guard !allSucceeded else { return }
                    _ = try Transaction.run(in: db, beforeCommit: deferred ? publish : nil) {
                        for job in jobs { _ = job.run(db, true) }
                        return true
                    }
                }
            } catch {
                commitError = error
            }
            let committedAt = WriterClock.wall()
            let stamp = commitError == nil ? didCommit() : 0
            // Counted before answered, so that a write's caller finds it in ``activity``.
            noteTransaction(of: jobs.count, startedAt: started, taken: taken, committedAt: committedAt)
            guard descriptor != nil else {
                for job in jobs { job.finish(commitError, stamp, committedAt) }
                runOwedCheckpoint()
                continue
            }
            // Answered once the log is synced; a failed commit has nothing to sync, but its
            // number (if it got one) still has to become durable for the readers waiting on it.
            let finished = jobs
            let failure = commitError
            syncer.enqueue(through: published, descriptor: failure == nil ? descriptor : nil) {
                [awaitingSyncNanoseconds] syncError in
                let syncedAt = WriterClock.wall()
                let waited = (syncedAt &- committedAt) &* UInt64(finished.count)
                awaitingSyncNanoseconds.wrappingIncrement(by: waited, ordering: .relaxed)
                for job in finished { job.finish(failure ?? syncError, stamp, syncedAt) }
            }
            runOwedCheckpoint()
        }
    }

    /// The checkpoint the last commit left the writer, if any: the writer's stall (a catch-up
    /// syncs the log and the database file). It waits for the commit's log sync, so that the
    /// commit's writes are answered first (~0.3 ms, not after the ~2 ms catch-up) and the
    /// checkpoint's own sync of the log finds nothing left to write: run beside the syncer's, the
    /// two syncs cost more CPU (updates ~5 % slower, alternating). Counted in the writer's busy
    /// and CPU time (the wait for the sync is not), as when it ran inside the commit.
    private func runOwedCheckpoint() {
        guard let checkpointer, checkpointer.owesWritersCheckpoint else { return }
        lock.withLock {
            while syncer.isBusy { lock.wait() }
        }
        let started = (wall: WriterClock.wall(), cpu: WriterClock.threadCPU())
        try? writer.writeWithoutTransaction { db in checkpointer.runOwedCheckpoint(on: db) }
        let wall = WriterClock.wall() &- started.wall
        let cpu = WriterClock.threadCPU() &- started.cpu
        lock.withLock {
            done.busySeconds += Double(wall) / 1e9
            done.cpuSeconds += Double(cpu) / 1e9
        }
    }

    /// Counts a transaction of `writes` writes that started at `started`, took `taken` and
    /// committed at `committedAt` into ``activity``.
    private func noteTransaction(
        of writes: Int, startedAt started: (wall: UInt64, cpu: UInt64), taken: TakenWrites, committedAt: UInt64
    ) {
        let wall = WriterClock.wall() &- started.wall
        let cpu = WriterClock.threadCPU() &- started.cpu
        let busy = wall > waitedNanoseconds ? wall - waitedNanoseconds : 0
        let inTransaction = taken.inTransaction(until: committedAt)
        lock.withLock {
            done.writes += writes
            done.transactions += 1
            done.busySeconds += Double(busy) / 1e9
            done.cpuSeconds += Double(cpu) / 1e9
            done.queuedSeconds += Double(taken.queuedNanoseconds) / 1e9
            done.transactionSeconds += Double(inTransaction) / 1e9
        }
    }

    /// The writes one transaction took, for ``WriterActivity``: how long they had waited for the
    /// writer, and when they were taken (summed, so that their time in the transaction is one
    /// subtraction at its commit).
    private struct TakenWrites {
        private(set) var queuedNanoseconds: UInt64 = 0
        private var count: UInt64 = 0
        private var takenAtSum: UInt64 = 0

        /// The writer takes `jobs` into the transaction at `now`.
        mutating func take(_ jobs: [Job], at now: UInt64) {
            for job in jobs { queuedNanoseconds &+= now &- job.handedAt }
            count &+= UInt64(jobs.count)
            takenAtSum &+= now &* UInt64(jobs.count)
        }

        /// Nanoseconds the writes spent in the transaction, summed, if it ended at `end`.
        func inTransaction(until end: UInt64) -> UInt64 {
            end &* count &- takenAtSum
        }
    }

    /// Runs `jobs` in order without savepoints; `false` as soon as one fails.
    private static func run(_ jobs: [Job], in db: Database) -> Bool {
        for job in jobs {
            guard job.run(db, false) else { return false }
        }
        return true
    }

    /// Up to `limit` of the pending writes; none (and the drain ends) when there are none.
    private func takeJobs(upTo limit: Int) -> [Job] {
        lock.withLock {
            let batch = Array(pending.prefix(limit))
            pending.removeFirst(batch.count)
            if batch.isEmpty { isDraining = false }
            return batch
        }
    }

    /// While the last commit's log sync runs: waits until `wakeBatch` writes have arrived (each
    /// wake-up of the writer costs), and returns up to `limit` of them, with whether the sync has
    /// finished meanwhile (the transaction should then commit). `nil` when the sync finished with
    /// nothing waiting.
    private func takeJobsWhileSyncing(upTo limit: Int) -> (jobs: [Job], syncDone: Bool)? {
        lock.withLock {
            var syncDone = !syncer.isBusy
            while pending.count < Self.wakeBatch && !syncDone {
                let waiting = WriterClock.wall()
                lock.wait()
                waitedNanoseconds &+= WriterClock.wall() &- waiting
                syncDone = !syncer.isBusy
            }
            guard !pending.isEmpty else { return nil }
            let batch = Array(pending.prefix(limit))
            pending.removeFirst(batch.count)
            return (batch, syncDone)
        }
    }
}

/// One `IMMEDIATE` transaction, through cached statements run on the fast path: GRDB's
/// `inTransaction` compiles its `BEGIN` and `COMMIT` again on every call, a few percent of the
/// writer's time.
private enum Transaction {
    /// Begins, runs `body`, and commits when it returns `true` (else rolls back); returns what
    /// `body` returned. On any error the transaction is rolled back, if SQLite has not already.
    /// `beforeCommit` runs right before `COMMIT`.
    static func run(in db: Database, beforeCommit: (() -> Void)? = nil, _ body: () throws -> Bool) throws -> Bool {
        try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").run()
        do {
            let commit = try body()
            if commit { beforeCommit?() }
            try db.cachedStatement(sql: commit ? "COMMIT TRANSACTION" : "ROLLBACK TRANSACTION").run()
            return commit
        } catch {
            if db.isInsideTransaction { try? db.cachedStatement(sql: "ROLLBACK TRANSACTION").run() }
            throw error
        }
    }
}

/// One savepoint per job, through cached statements run on the fast path: GRDB's `inSavepoint`
/// compiles its `SAVEPOINT` and `RELEASE` statements again on every call, which showed in
/// profiles of the writer thread.
private enum Savepoint {
    static func run(in db: Database, _ body: () throws -> Void) throws {
        try db.cachedStatement(sql: "SAVEPOINT job").run()
        do {
            try body()
        } catch {
            // The job's own error is the one to report; when SQLite already rolled the whole
            // transaction back, these fail too, and so does the commit, for every job.
            try? db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT job").run()
            try? db.cachedStatement(sql: "RELEASE SAVEPOINT job").run()
            throw error
        }
        try db.cachedStatement(sql: "RELEASE SAVEPOINT job").run()
    }
}

/// Carries one job's result from the writer queue to its continuation.
private final class OutcomeBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
    /// When the write was answered (``WriterClock/wall()``), set before its continuation resumes.
    var answeredAt: UInt64 = 0
}
