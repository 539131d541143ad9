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
    /// Commit syncs left to the caller (`SQLITE_WAL_BUFFER_FCNTL_DEFER_SYNC`).
    long long deferredSyncs;
    /// Syncs of the log made here.
    long long syncs;
} SQLiteWALBufferStatistics;

/// `sqlite3_file_control(db, "main", SQLITE_WAL_BUFFER_FCNTL_STATISTICS, &statistics)` fills in
/// a `SQLiteWALBufferStatistics` for that connection's log (zeros before it is opened).
#define SQLITE_WAL_BUFFER_FCNTL_STATISTICS 0x43470001

/// `sqlite3_file_control(db, "main", SQLITE_WAL_BUFFER_FCNTL_DEFER_SYNC, &on)` with an `int`: 1
/// leaves the sync that ends each commit to the caller, on a connection that buffers (else it
/// stays off). The commit's frames are still written to the file before it is published, so
/// other connections read them at once, but they are durable only once the caller has run
/// `sqlite_wal_buffer_sync_descriptor` on the log's descriptor
/// (`SQLITE_WAL_BUFFER_FCNTL_SYNC_DESCRIPTOR`). That lets the next transaction run while the
/// last one syncs. The caller must not acknowledge a commit before that sync returns, and
/// should turn deferring off again when its transactions end, so that other writes on the
/// connection sync as usual. Only a sync that follows frame writes (a commit's) is left to the
/// caller: the log's first sync, the one after a new header, and a checkpoint's, which must find
/// the log durable before it copies it into the database file, are always made in place.
#define SQLITE_WAL_BUFFER_FCNTL_DEFER_SYNC 0x43470003

/// `sqlite3_file_control(db, "main", SQLITE_WAL_BUFFER_FCNTL_SYNC_DESCRIPTOR, &descriptor)`
/// with an `int`: a descriptor of the connection's log that another thread may sync, or -1
/// (no log open yet, or none could be opened: deferred syncs are then made in place). It stays
/// open while the connection's log is.
#define SQLITE_WAL_BUFFER_FCNTL_SYNC_DESCRIPTOR 0x43470004

/// Makes what was written through `descriptor` durable, as SQLite's own sync of the log would
/// (`fdatasync`; `fsync` on Apple platforms). Returns 0, or the `errno` of the failure.
int sqlite_wal_buffer_sync_descriptor(int descriptor);

#endif
