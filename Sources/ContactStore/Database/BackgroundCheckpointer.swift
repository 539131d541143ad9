import Foundation
import GRDB
import GRDBSQLite
import SharedDatabase

/// Copies the write-ahead log back into the database file on its own connection and queue, so
/// the one writer rarely pays for it, and lets the log start again from its beginning
/// (``CheckpointSchedule`` says when and where).
///
/// SQLite's automatic checkpoint runs inside the commit that crosses the threshold: that write,
/// and every write queued behind it, waits while about a thousand pages are copied and synced.
/// Instead, the writer connection's WAL hook (which replaces the automatic checkpoint) asks the
/// schedule, and most pages are copied here by `PASSIVE` checkpoints, which never block readers
/// or the writer. Letting the log restart matters: a page written again and again (a contact's,
/// an index's) is then copied once per cycle; a log that never restarts would instead have every
/// commit start a checkpoint of its own few pages. After each round the copied pages are handed
/// to the kernel's writeback (``FileWriteback``), so that the checkpoint completing the log, the
/// one that syncs the database file, is short.
///
/// Several processes may share the file: each checkpoints from its own hook, and one that finds
/// another's checkpoint running simply tries again after a later commit.
final class BackgroundCheckpointer: @unchecked Sendable {
    private let path: String
    private let busyTimeout: TimeInterval
    private let queue = DispatchQueue(label: "contacts-gateway.checkpoint")
    private let lock = NSLock()
    private var schedule: CheckpointSchedule
    /// Opened on first use, on `queue`.
    private var connection: DatabaseQueue?
    /// Checkpoints the writer ran itself after a commit, and their wall-clock nanoseconds
    /// (guarded by `lock`).
    private var writerCheckpoints = (count: 0, nanoseconds: UInt64(0))
    /// ``defersWritersCheckpoint``, and whether a commit left the writer a checkpoint to run
    /// (guarded by `lock`).
    private var defersOwnCheckpoint = false
    private var owesCheckpoint = false

    /// Background rounds before giving up until a later commit: each round copies what the
    /// writer committed during the one before, so they shrink quickly.
    private static let maximumRounds = 6

    init(path: String, busyTimeout: TimeInterval, thresholdPages: Int32) {
        self.path = path
        self.busyTimeout = busyTimeout
        schedule = CheckpointSchedule(thresholdPages: thresholdPages)
    }

    /// Hands checkpointing of the writer connection `db` to this checkpointer.
    ///
    /// The hook's context is a small box that is never freed and holds this checkpointer
    /// weakly: the pool (and so the hook) may outlive the store.
    func install(on db: Database) {
        let box = Unmanaged.passRetained(WeakCheckpointer(self)).toOpaque()
        sqlite3_wal_hook(
            db.sqliteConnection,
            { context, connection, _, pages in
                guard let context, let connection else { return SQLITE_OK }
                let box = Unmanaged<WeakCheckpointer>.fromOpaque(context).takeUnretainedValue()
                if let checkpointer = box.checkpointer {
                    checkpointer.writerCommitted(connection, logPages: pages)
                } else if pages >= 1000 {
                    // Without its store (the pool outlived it), checkpoint as SQLite would by default.
                    sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
                }
                return SQLITE_OK
            },
            box)
    }

    /// The checkpoints the writer ran itself after its commits (the catch-ups that let the log
    /// restart, and any it ran because the background fell behind), and the wall-clock seconds
    /// they took: the writer's stalls, inside its busy time.
    var writerStalls: (checkpoints: Int, seconds: Double) {
        lock.withLock { (writerCheckpoints.count, Double(writerCheckpoints.nanoseconds) / 1e9) }
    }

    /// While set (a group commit's transaction runs on the writer connection), a checkpoint a
    /// commit leaves the writer to run is owed rather than run inside the commit: the committer
    /// first lets the log's syncer make the commit durable and answer its writes, and then runs
    /// it (``runOwedCheckpoint(on:)``).
    var defersWritersCheckpoint: Bool {
        get { lock.withLock { defersOwnCheckpoint } }
        set { lock.withLock { defersOwnCheckpoint = newValue } }
    }

    /// Whether a commit left the writer a checkpoint to run (``runOwedCheckpoint(on:)``).
    var owesWritersCheckpoint: Bool { lock.withLock { owesCheckpoint } }

    /// Runs the checkpoint a commit left the writer, if any, on the writer connection `db`.
    func runOwedCheckpoint(on db: Database) {
        guard lock.withLock({ () -> Bool in
            defer { owesCheckpoint = false }
            return owesCheckpoint
        }) else { return }
        runWritersCheckpoint(db.sqliteConnection)
    }

    /// The WAL hook: the writer connection has just committed and the log holds `logPages`.
    private func writerCommitted(_ connection: OpaquePointer, logPages: Int32) {
        let action = lock.withLock { () -> CheckpointSchedule.Action in
            let action = schedule.writerCommitted(logPages: logPages)
            guard action == .inline, defersOwnCheckpoint else { return action }
            owesCheckpoint = true
            return .none
        }
        switch action {
        case .none: break
        case .inline: runWritersCheckpoint(connection)
        case .background: queue.async { self.checkpointInBackground() }
        }
    }

    /// A checkpoint on the writer connection, counted and timed as the writer's stall.
    private func runWritersCheckpoint(_ connection: OpaquePointer?) {
        let started = WriterClock.wall()
        checkpoint(connection)
        let took = WriterClock.wall() &- started
        lock.withLock { writerCheckpoints = (writerCheckpoints.count + 1, writerCheckpoints.nanoseconds &+ took) }
    }

    private func checkpointInBackground() {
        do {
            if connection == nil {
                var configuration = Configuration()
                configuration.busyMode = .timeout(busyTimeout)
                configuration.label = "contacts-gateway.checkpoint"
                connection = try DatabaseQueue(path: path, configuration: configuration)
            }
            try connection?.writeWithoutTransaction { db in
                for round in 1...Self.maximumRounds {
                    let ran = checkpoint(db.sqliteConnection)
                    // The copied pages head for the disk now, so the writer's catch-up, which
                    // syncs the file, finds little left to write (``FileWriteback``).
                    if ran { FileWriteback.start(path: path) }
                    let last = !ran || round == Self.maximumRounds
                    if lock.withLock({ schedule.backgroundRoundEnded(lastRound: last) }) { return }
                }
            }
        } catch {
            // The next commit past the threshold tries again; until then the log only grows.
            _ = lock.withLock { schedule.backgroundRoundEnded(lastRound: true) }
        }
    }

    /// One `PASSIVE` checkpoint on `connection`: it copies what no reader still needs and never
    /// waits for a lock (a checkpoint of another connection or process already running makes it
    /// report busy, which is fine). Returns whether it ran.
    @discardableResult
    private func checkpoint(_ connection: OpaquePointer?) -> Bool {
        var log: Int32 = 0
        var copied: Int32 = 0
        guard sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) == SQLITE_OK,
            log >= 0
        else { return false }
        lock.withLock { schedule.checkpointed(log: log, copied: copied) }
        return true
    }
}

/// The WAL hook's context: never freed, so it must not keep the checkpointer alive.
private final class WeakCheckpointer {
    weak var checkpointer: BackgroundCheckpointer?
    init(_ checkpointer: BackgroundCheckpointer) { self.checkpointer = checkpointer }
}
