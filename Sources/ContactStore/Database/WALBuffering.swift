import GRDB
import GRDBSQLite
import SQLiteWALBuffer

/// Opens a store's file through the WAL-buffering VFS (see `SQLiteWALBuffer.h`) when its commits
/// are durable, and turns the buffering on for the writer once that connection syncs every
/// commit.
///
/// The VFS turns the two writes SQLite makes per log frame into one write per commit: the
/// writer's system calls per update fall from about seven to one. Every frame is in the file
/// before its commit is published or the write lock is released, so other connections and
/// processes, which may open the file without it, see the file as they would without it.
enum WALBuffering {
    /// What to hand GRDB for `path`: a `file:` URI naming the VFS, or `path` itself when the
    /// commits are not durable (buffering is only safe when each commit syncs), the SQLite in
    /// use takes no URIs, or the VFS could not be registered.
    static func openingPath(for path: String, durableCommits: Bool) -> String {
        guard durableCommits, isAvailable, !path.isEmpty, path != ":memory:" else { return path }
        return "file:" + escaped(path) + "?vfs=" + String(cString: SQLITE_WAL_BUFFER_VFS_NAME)
    }

    /// Buffers the log writes of `db`'s connection, which must sync the log at every commit
    /// (`synchronous = FULL`). Returns whether it did: `false` when the connection was not
    /// opened through the VFS.
    @discardableResult
    static func enable(_ db: Database) -> Bool {
        var on: Int32 = 1
        return sqlite3_file_control(db.sqliteConnection, "main", SQLITE_WAL_BUFFER_FCNTL_ENABLE, &on) == SQLITE_OK
    }

    /// Leaves the log sync that ends each commit of `db`'s connection to the caller (see
    /// ``LogSyncer``); returns the descriptor to sync the log with, or `nil` when the syncs stay
    /// in place (the connection does not buffer, or its log has no descriptor of its own).
    ///
    /// Call ``syncCommitsInPlace(_:)`` when the transactions that need it are done, so that other
    /// writes on the connection sync as usual.
    static func deferCommitSyncs(_ db: Database) -> Int32? {
        var descriptor: Int32 = -1
        let connection = db.sqliteConnection
        guard
            sqlite3_file_control(connection, "main", SQLITE_WAL_BUFFER_FCNTL_SYNC_DESCRIPTOR, &descriptor) == SQLITE_OK,
            descriptor >= 0
        else { return nil }
        var on: Int32 = 1
        guard sqlite3_file_control(connection, "main", SQLITE_WAL_BUFFER_FCNTL_DEFER_SYNC, &on) == SQLITE_OK else {
            return nil
        }
        return descriptor
    }

    /// Ends ``deferCommitSyncs(_:)``: the next commit syncs the log itself again.
    static func syncCommitsInPlace(_ db: Database) {
        var off: Int32 = 0
        sqlite3_file_control(db.sqliteConnection, "main", SQLITE_WAL_BUFFER_FCNTL_DEFER_SYNC, &off)
    }

    /// Whether the VFS is registered and filenames may be URIs.
    static let isAvailable: Bool =
        sqlite3_compileoption_used("USE_URI") == 1 && sqlite_wal_buffer_register() == SQLITE_OK

    /// What the log buffer of `db`'s connection has done: the writes it gathered and the
    /// times it wrote them out. `nil` when the connection was not opened through the VFS.
    static func statistics(_ db: Database) -> (
        bufferedWrites: Int64, flushes: Int64, deferredSyncs: Int64, syncs: Int64
    )? {
        var statistics = SQLiteWALBufferStatistics()
        let code = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_WAL_BUFFER_FCNTL_STATISTICS, &statistics)
        guard code == SQLITE_OK else { return nil }
        return (
            Int64(statistics.bufferedWrites), Int64(statistics.flushes), Int64(statistics.deferredSyncs),
            Int64(statistics.syncs)
        )
    }

    /// `%`, `?` and `#` escaped, the characters that end or escape a URI's path.
    private static func escaped(_ path: String) -> String {
        var result = ""
        for character in path.unicodeScalars {
            switch character {
            case "%": result += "%25"
            case "?": result += "%3f"
            case "#": result += "%23"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }
}
