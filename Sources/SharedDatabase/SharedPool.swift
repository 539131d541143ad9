public import Foundation
public import GRDB

/// Opens a `DatabasePool` on a file that other processes may be opening, migrating or writing
/// at the same moment.
///
/// The file is switched to WAL first (see ``JournalMode``), then the pool opens, retrying any
/// busy answer within `timeout`: a start never dies of another process's lock, it waits.
///
/// ```swift
/// let pool = try SharedPool.open(path: path, configuration: configuration, timeout: 10)
/// try schema.migrate(pool, timeout: 10)
/// ```
public enum SharedPool {
    /// Opens the pool at `path`, handing GRDB `openingPath` when that differs (a `file:` URI
    /// that names a VFS for the same file).
    ///
    /// - Throws: busy past `timeout`, or the error that opening the file met.
    public static func open(
        path: String, openingPath: String? = nil, configuration: Configuration, timeout: TimeInterval
    ) throws -> DatabasePool {
        SQLiteProcess.configure()
        try JournalMode.ensureWAL(path: path, timeout: timeout)
        return try BusyWait.retrying(for: timeout) {
            try DatabasePool(path: openingPath ?? path, configuration: configuration)
        }
    }
}
