#ifndef SQLITE_WAL_BUFFER_H
#define SQLITE_WAL_BUFFER_H

/// The name of the VFS that `sqlite_wal_buffer_register` adds.
#define SQLITE_WAL_BUFFER_VFS_NAME "contacts-gateway-wal-buffer"

/// Registers (once; later calls return the first result) a VFS named
/// `SQLITE_WAL_BUFFER_VFS_NAME` over the default one. It gathers the frames a connection writes
/// to its write-ahead log and hands them to the file system in one write, instead of two small
/// writes per frame: when the log is synced or read, and always before the commit is published
/// to other connections or the log's write lock is released. Other files are not buffered.
///
/// Open a connection with it through a URI filename: `file:PATH?vfs=contacts-gateway-wal-buffer`.
/// Returns an SQLite result code.
int sqlite_wal_buffer_register(void);

/// What a connection's log buffer has done since the log was opened.
typedef struct SQLiteWALBufferStatistics {
    /// Writes SQLite made to the log that were gathered into the buffer.
    long long bufferedWrites;
    /// Times the buffer was written out.
    long long flushes;
} SQLiteWALBufferStatistics;

/// `sqlite3_file_control(db, "main", SQLITE_WAL_BUFFER_FCNTL_STATISTICS, &statistics)` fills in
/// a `SQLiteWALBufferStatistics` for that connection's log (zeros before it is opened).
#define SQLITE_WAL_BUFFER_FCNTL_STATISTICS 0x43470001

#endif
