#ifndef SQLITE_FILE_WRITEBACK_H
#define SQLITE_FILE_WRITEBACK_H

/// Asks the kernel to start writing the file at `path`'s dirty pages to disk, without waiting for
/// them (Linux: `sync_file_range(SYNC_FILE_RANGE_WRITE)`), through a descriptor this process
/// already has open on it: SQLite's own. A descriptor opened and closed here would drop every
/// POSIX lock this process holds on the file, SQLite's included.
///
/// Returns 1 when writeback was started, 0 when no open descriptor of the file was found or the
/// platform has no such call. Nothing is ever closed or synced: a later `fsync` of the file
/// just finds less left to write.
int sqlite_file_start_writeback(const char *path);

#endif
