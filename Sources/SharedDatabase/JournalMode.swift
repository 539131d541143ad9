import Foundation
import GRDB
import GRDBSQLite

/// Switching a database file to WAL before any pool opens it.
///
/// `PRAGMA journal_mode = WAL` on a new file needs an exclusive lock. When several processes
/// open a new file at once, each reads the file (a shared lock) and then asks for that lock, so
/// SQLite answers some of them busy at once (waiting could deadlock), or leaves the mode as it
/// was and says so. Once the file is in WAL mode the setting sticks, and switching again is a
/// read. So every opener first makes sure of WAL here, retrying within its deadline; the pool
/// that opens next then finds nothing left to switch.
enum JournalMode {
    /// Makes `path` a WAL database, waiting for other connections for up to `timeout` seconds.
    static func ensureWAL(path: String, timeout: TimeInterval) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(timeout)
        configuration.label = "contacts-gateway.journal-mode"
        try BusyWait.retrying(for: timeout) {
            let connection = try DatabaseQueue(path: path, configuration: configuration)
            let mode = try connection.inDatabase { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
            guard mode?.lowercased() == "wal" else {
                // SQLite kept the old mode: another connection held the file. Busy, then.
                throw DatabaseError(resultCode: .SQLITE_BUSY, message: "the journal mode is being changed")
            }
        }
    }
}
