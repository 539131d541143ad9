import Foundation
import GRDB
import GRDBSQLite

/// Copies the write-ahead log back into the database file on its own connection and queue, so
/// the one writer never pays for it.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses the threshold: that write,
/// and every write queued behind it, waits while about a thousand pages are copied and synced.
/// Instead, the writer connection's WAL hook (which replaces the automatic checkpoint) only
/// notes the log's size, and a `PASSIVE` checkpoint runs here: it never blocks readers or the
/// writer, and copies what no reader still needs. Once a checkpoint has caught up, the next
/// write starts the log again from its beginning, so the file stays small.
///
/// Several processes may share the file: each checkpoints from its own hook, and one that finds
/// another's checkpoint running simply tries again at the next threshold.
///
/// Should the background checkpoint fall behind (a machine too busy to run it), the writer
/// checkpoints inline once the log reaches twice the threshold, as SQLite itself would: the log
/// never grows without bound.
final class BackgroundCheckpointer: @unchecked Sendable {
    /// Log pages after which a checkpoint starts.
    let thresholdPages: Int32
    private let path: String
    private let busyTimeout: TimeInterval
    private let queue = DispatchQueue(label: "contacts-gateway.checkpoint")
    private let lock = NSLock()
    private var isScheduled = false
    /// Opened on first use, on `queue`.
    private var connection: DatabaseQueue?

    init(path: String, busyTimeout: TimeInterval, thresholdPages: Int32) {
        self.path = path
        self.thresholdPages = thresholdPages
        self.busyTimeout = busyTimeout
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
                guard let context else { return SQLITE_OK }
                let box = Unmanaged<WeakCheckpointer>.fromOpaque(context).takeUnretainedValue()
                // Without its store (the pool outlived it), checkpoint as SQLite would by default.
                let threshold = box.checkpointer?.thresholdPages ?? 1000
                if pages >= 2 * threshold || (box.checkpointer == nil && pages >= threshold) {
                    sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
                } else if pages >= threshold {
                    box.checkpointer?.schedule()
                }
                return SQLITE_OK
            },
            box)
    }

    /// Starts a checkpoint unless one is already waiting or running.
    private func schedule() {
        let start = lock.withLock { () -> Bool in
            if isScheduled { return false }
            isScheduled = true
            return true
        }
        guard start else { return }
        queue.async { [self] in
            lock.withLock { isScheduled = false }
            checkpoint()
        }
    }

    private func checkpoint() {
        do {
            if connection == nil {
                var configuration = Configuration()
                configuration.busyMode = .timeout(busyTimeout)
                configuration.label = "contacts-gateway.checkpoint"
                connection = try DatabaseQueue(path: path, configuration: configuration)
            }
            // PASSIVE: no lock on writers or readers; a checkpoint of another connection or
            // process already running makes this one report busy, which is fine.
            try connection?.writeWithoutTransaction { db in
                _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
            }
        } catch {
            // The next threshold tries again; until then the log only grows.
        }
    }
}

/// The WAL hook's context: never freed, so it must not keep the checkpointer alive.
private final class WeakCheckpointer {
    weak var checkpointer: BackgroundCheckpointer?
    init(_ checkpointer: BackgroundCheckpointer) { self.checkpointer = checkpointer }
}
