import Atomics
import Foundation
import GRDB
import SQLiteWALBuffer

/// Makes the group commit's transactions durable on a thread of its own, so the writer runs
/// the next transaction while the last one's write-ahead log is synced (the VFS leaves that sync
/// to it: `SQLITE_WAL_BUFFER_FCNTL_DEFER_SYNC`).
///
/// A commit is visible to readers once SQLite publishes it, up to one sync before it is durable.
/// Two counters keep the gateway's answers honest about that: ``publish()`` numbers each commit
/// before it is published, and the syncer advances the durable number once a sync has covered
/// it. A commit's writes are answered only then (``enqueue(through:descriptor:_:)``); an answer
/// that read the database waits for ``waitUntilDurable(through:)`` with what was published when
/// it read. So no answer shows a change that a power loss could still undo.
///
/// Should a sync fail, the writes it covered fail with `SQLITE_IOERR_FSYNC` (their changes may
/// or may not survive a power loss), and every later commit syncs in place again, as SQLite
/// would (``isDeferring`` turns off for good).
final class LogSyncer: @unchecked Sendable {
    /// Syncs a log descriptor; returns 0 or an `errno`. Tests inject a slow or failing one.
    typealias Sync = @Sendable (_ descriptor: Int32) -> Int32

    private let sync: Sync
    private let queue = DispatchQueue(label: "contacts-gateway.log-sync")
    /// Called when a round of syncs ends with nothing left to sync, so the writer stops waiting.
    private let becameIdle: @Sendable () -> Void

    private let published = ManagedAtomic<UInt64>(0)
    private let durable = ManagedAtomic<UInt64>(0)
    private let deferring: ManagedAtomic<Bool>

    private let lock = NSLock()
    private var waiting: [Commit] = []
    private var isSyncing = false
    private var readers: [(through: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    /// Syncs run so far, and their wall-clock nanoseconds.
    private var syncs = (count: 0, nanoseconds: UInt64(0))

    /// A commit waiting for its sync: its number, its log, and what answers its writes.
    private struct Commit {
        let through: UInt64
        let descriptor: Int32?
        let finish: ((any Error)?) -> Void
    }

    /// A syncer that defers commit syncs when `enabled`; `becameIdle` is called (on its thread)
    /// each time it has nothing left to sync.
    init(
        enabled: Bool, sync: @escaping Sync = { sqlite_wal_buffer_sync_descriptor($0) },
        becameIdle: @escaping @Sendable () -> Void
    ) {
        deferring = ManagedAtomic(enabled)
        self.sync = sync
        self.becameIdle = becameIdle
    }

    /// Whether commits leave their log sync to this syncer.
    var isDeferring: Bool { deferring.load(ordering: .relaxed) }

    /// Whether a sync is running or waiting to run.
    var isBusy: Bool { lock.withLock { isSyncing } }

    /// Syncs run so far, and the wall-clock seconds they took.
    var activity: (syncs: Int, seconds: Double) {
        lock.withLock { (syncs.count, Double(syncs.nanoseconds) / 1e9) }
    }

    /// Numbers the commit about to be published: call it right before `COMMIT`, so a reader
    /// that sees the commit's changes finds at least this number in ``publishedCommits``.
    func publish() -> UInt64 {
        published.wrappingIncrementThenLoad(ordering: .sequentiallyConsistent)
    }

    /// The number of the latest commit published (or about to be).
    var publishedCommits: UInt64 { published.load(ordering: .sequentiallyConsistent) }

    /// Whether every commit through `number` is durable.
    func isDurable(through number: UInt64) -> Bool {
        durable.load(ordering: .acquiring) >= number
    }

    /// Syncs `descriptor` (the log that commits through `number` were written to; `nil` when
    /// they were synced in place or failed) and then calls `finish` with the sync's error.
    func enqueue(through number: UInt64, descriptor: Int32?, _ finish: @escaping ((any Error)?) -> Void) {
        let start = lock.withLock { () -> Bool in
            waiting.append(Commit(through: number, descriptor: descriptor, finish: finish))
            if isSyncing { return false }
            isSyncing = true
            return true
        }
        if start { queue.async { self.drain() } }
    }

    /// Returns once every commit through `number` is durable.
    func waitUntilDurable(through number: UInt64) async {
        if isDurable(through: number) { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = lock.withLock { () -> Bool in
                if isDurable(through: number) { return true }
                readers.append((number, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private func drain() {
        while true {
            let commits = lock.withLock { () -> [Commit] in
                let taken = waiting
                waiting = []
                if taken.isEmpty { isSyncing = false }
                return taken
            }
            guard let last = commits.last else {
                becameIdle()
                return
            }
            // One sync covers every commit written before it starts, whichever descriptor of
            // the log it goes through.
            var error: (any Error)?
            if let descriptor = commits.lazy.compactMap(\.descriptor).last {
                let started = WriterClock.wall()
                let code = sync(descriptor)
                let took = WriterClock.wall() &- started
                lock.withLock { syncs = (syncs.count + 1, syncs.nanoseconds &+ took) }
                if code != 0 {
                    deferring.store(false, ordering: .sequentiallyConsistent)
                    error = DatabaseError(
                        resultCode: .SQLITE_IOERR_FSYNC, message: "syncing the write-ahead log failed (errno \(code))")
                }
            }
            // After a failed sync the readers are let go too: there is nothing more to wait for.
            let through = commits.map(\.through).max() ?? last.through
            durable.store(max(durable.load(ordering: .relaxed), through), ordering: .releasing)
            let released = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
                let (ready, rest) = readers.partitioned { $0.through <= through }
                readers = rest
                return ready.map(\.continuation)
            }
            for commit in commits { commit.finish(error) }
            for continuation in released { continuation.resume() }
        }
    }
}

extension Array {
    /// The elements that satisfy `belongs`, and the rest, each in order.
    fileprivate func partitioned(_ belongs: (Element) -> Bool) -> (matching: [Element], rest: [Element]) {
        var matching: [Element] = []
        var rest: [Element] = []
        for element in self {
            if belongs(element) { matching.append(element) } else { rest.append(element) }
        }
        return (matching, rest)
    }
}
