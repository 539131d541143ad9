#ifndef SQLITE_WAL_BUFFER_H
#define SQLITE_WAL_BUFFER_H

/// The name of the VFS that `sqlite_wal_buffer_register` adds.
#define SQLITE_WAL_BUFFER_VFS_NAME "contacts-gateway-wal-buffer"

/// Registers (once; later calls return the first result) a VFS named
/// `SQLITE_WAL_BUFFER_VFS_NAME` over the default one. A connection opened through it
/// (`file:PATH?vfs=contacts-gateway-wal-buffer`) behaves as with the default VFS until
/// `SQLITE_WAL_BUFFER_FCNTL_ENABLE` turns buffering on. From then on the frames it writes to its
/// write-ahead log are gathered and handed to the file system in one write, instead of two small
/// writes per frame: when the log is synced or read, and before the log's write lock is
/// released. Other files are never buffered.
///
/// Returns an SQLite result code.
int sqlite_wal_buffer_register(void);

/// `sqlite3_file_control(db, "main", SQLITE_WAL_BUFFER_FCNTL_ENABLE, &on)` with an `int`: 1
/// buffers the connection's log writes, 0 writes them straight through again. Enable it only on
/// a connection that syncs the log at every commit (`PRAGMA synchronous = FULL` or `EXTRA`): the
/// sync is what writes a commit's frames out, and reports a failure to, before the commit is
/// published. Without it a failed write could only be found after other connections were told
/// of the frames.
#define SQLITE_WAL_BUFFER_FCNTL_ENABLE 0x43470002

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
