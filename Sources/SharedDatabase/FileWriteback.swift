import SQLiteProcessSettings

/// Starting the kernel's writeback of a database file's dirty pages early (`SQLiteFileWriteback.h`).
///
/// A background checkpoint copies pages from the log into the database file without syncing it;
/// the checkpoint that completes the log then syncs the file, and with it everything copied since
/// its last sync (up to 64 MB), on the writer: the stall behind the writes' p99. Started after
/// each background round, most of those pages are on disk by then.
public enum FileWriteback {
    /// Starts writing the dirty pages of the file at `path`, which this process has open, without
    /// waiting; returns whether it could (not on platforms without `sync_file_range`).
    @discardableResult
    public static func start(path: String) -> Bool {
        sqlite_file_start_writeback(path) == 1
    }
}
