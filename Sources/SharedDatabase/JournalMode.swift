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
///
/// A file whose header already says WAL is left alone, unopened: a connection opened and closed
/// here would be the file's last one on close, so SQLite would checkpoint and delete the log,
/// and the pool would create it again, with two syncs, on every start.
enum JournalMode {
    /// Makes `path` a WAL database, waiting for other connections for up to `timeout` seconds.
    static func ensureWAL(path: String, timeout: TimeInterval) throws {
        if isWAL(path: path) { return }
        try BusyWait.retrying(for: timeout) {
            guard try switchToWAL(path: path, busyTimeout: timeout) == "wal" else {
                // SQLite kept the old mode: another connection held the file. Busy, then.
                throw DatabaseError(resultCode: .SQLITE_BUSY, message: "the journal mode is being changed")
            }
        }
    }

    /// Runs `PRAGMA journal_mode = WAL` on a connection of its own and returns the mode SQLite
    /// answers, lowercased. SQLite's C interface, not a GRDB queue, whose set-up and close (its
    /// configuration statements, observers and caches) cost a new file's start 0.5 M more.
    private static func switchToWAL(path: String, busyTimeout: TimeInterval) throws -> String? {
        var connection: OpaquePointer?
        defer { sqlite3_close_v2(connection) }
        let opened = sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        guard opened == SQLITE_OK, let connection else { throw failure(opened, on: connection) }
        sqlite3_busy_timeout(connection, Int32(clamping: Int((busyTimeout * 1000).rounded(.up))))
        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        let prepared = sqlite3_prepare_v2(connection, "PRAGMA journal_mode = WAL", -1, &statement, nil)
        guard prepared == SQLITE_OK else { throw failure(prepared, on: connection) }
        let stepped = sqlite3_step(statement)
        guard stepped == SQLITE_ROW else { throw failure(stepped, on: connection) }
        return sqlite3_column_text(statement, 0).map { String(cString: $0).lowercased() }
    }

    private static func failure(_ code: Int32, on connection: OpaquePointer?) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: connection.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory")
    }

    /// Whether the file's header says WAL: bytes 18 and 19 (the file format's write and read
    /// versions) are 2 in a WAL database, 1 in a rollback one. `false` when there is no file or
    /// no header yet.
    static func isWAL(path: String) -> Bool {
        guard let file = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? file.close() }
        guard let header = try? file.read(upToCount: 20), header.count == 20,
            header.starts(with: Array("SQLite format 3\u{0}".utf8))
        else { return false }
        return header[header.startIndex + 18] == 2 && header[header.startIndex + 19] == 2
    }
}
