// A VFS over the default one that gathers a connection's write-ahead-log frames and writes them
// out in one call when the log is synced. SQLite writes each frame with two calls (its 24-byte
// header, then the page), so a commit of N pages costs 2N system calls; here it costs one.
//
// A connection buffers only once it is asked to (SQLITE_WAL_BUFFER_FCNTL_ENABLE), which is only
// for connections that sync the log at every commit: SQLite syncs before it publishes a commit
// (the new log header in shared memory), so the frames are written out, and any error in doing
// so fails the commit, before another connection can look for them. The buffer is also written
// out before the write lock is released (a rolled-back transaction may have spilled frames that
// the next writer overwrites), before the log is read or truncated, and at the barrier SQLite
// puts between the two copies of a new header. So at every point where another connection could
// look, the file is what it would have been without the buffer.
//
// A connection may also leave the sync that ends each commit to its caller
// (SQLITE_WAL_BUFFER_FCNTL_DEFER_SYNC): the frames are still written out before the commit is
// published, but made durable by the caller, on another thread, while the connection runs its
// next transaction. Only a sync that follows frame writes is left so: the first sync of a log,
// the one after a new header, and a checkpoint's (which must find the log durable before it
// copies it into the database file) are made here as always.
// Every other file, and every call not below, goes straight to the default VFS.

#include "SQLiteWALBuffer.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/// Frames are written out before the buffer would grow past this (a large transaction).
#define MAXIMUM_BUFFER (8 * 1024 * 1024)
#define INITIAL_BUFFER (256 * 1024)

typedef struct BufferedFile BufferedFile;
struct BufferedFile {
    sqlite3_file base;
    /// The default VFS's file, allocated right after this struct.
    sqlite3_file *real;
    /// Only write-ahead logs are buffered.
    int isLog;
    /// A database file: its name as SQLite passed it (the connection's own copy), and the log
    /// its connection opened; a log: its connection's database file.
    const char *name;
    BufferedFile *partner;
    /// A database file: whether its connection's log writes are buffered (off until enabled).
    int buffering;
    /// Open database files, to find a log's partner by name.
    BufferedFile *nextDatabase;
    /// Bytes not yet written, for the file range [start, start + length).
    unsigned char *buffer;
    sqlite3_int64 start;
    sqlite3_int64 length;
    sqlite3_int64 capacity;
    /// What `SQLITE_WAL_BUFFER_FCNTL_STATISTICS` reports.
    SQLiteWALBufferStatistics statistics;
    /// A database file: whether its connection's commit syncs of the log are left to the
    /// caller (`SQLITE_WAL_BUFFER_FCNTL_DEFER_SYNC`).
    int deferring;
    /// A log: a descriptor of its own, for `sqlite_wal_buffer_sync_descriptor` on another
    /// thread (-1 when it could not be opened: then no sync is deferred).
    int syncDescriptor;
    /// A log: whether its next sync is made in place even when deferring: the first one (which
    /// also syncs the directory of a new log) and the one after a new header.
    int needsOwnSync;
    /// A log: whether frames were written since its last sync. Only such a sync ends a commit;
    /// one without (a checkpoint's, before it copies the log into the database) is always made
    /// in place, which also makes any deferred commit durable.
    int wroteSinceSync;
};

static sqlite3_vfs *defaultVFS;
static sqlite3_vfs bufferVFS;
static pthread_once_t registration = PTHREAD_ONCE_INIT;
static int registrationResult = SQLITE_ERROR;
static pthread_mutex_t databasesLock = PTHREAD_MUTEX_INITIALIZER;
static BufferedFile *openDatabases;

/// The most handed to the default VFS in one write: the unix VFS takes at most 128 KiB - 1
/// (it masks larger sizes).
#define MAXIMUM_WRITE (124 * 1024)

static int flushBuffer(BufferedFile *file) {
    if (file->length == 0) return SQLITE_OK;
    int rc = SQLITE_OK;
    for (sqlite3_int64 done = 0; done < file->length && rc == SQLITE_OK; done += MAXIMUM_WRITE) {
        sqlite3_int64 amount = file->length - done < MAXIMUM_WRITE ? file->length - done : MAXIMUM_WRITE;
        rc = file->real->pMethods->xWrite(file->real, file->buffer + done, (int)amount, file->start + done);
    }
    // On failure the frames are dropped: the transaction writing them fails, as it would have
    // had the write been made directly.
    file->length = 0;
    file->statistics.flushes += 1;
    return rc;
}

static int overlapsBuffer(BufferedFile *file, sqlite3_int64 offset, sqlite3_int64 amount) {
    return file->length > 0 && offset < file->start + file->length && offset + amount > file->start;
}

// MARK: - File methods

static int bufferClose(sqlite3_file *base) {
    BufferedFile *file = (BufferedFile *)base;
    int flushed = flushBuffer(file);
    pthread_mutex_lock(&databasesLock);
    if (file->partner != NULL) file->partner->partner = NULL;
    for (BufferedFile **link = &openDatabases; *link != NULL; link = &(*link)->nextDatabase) {
        if (*link == file) {
            *link = file->nextDatabase;
            break;
        }
    }
    pthread_mutex_unlock(&databasesLock);
    int rc = file->real->pMethods->xClose(file->real);
    if (file->syncDescriptor >= 0) close(file->syncDescriptor);
    file->syncDescriptor = -1;
    free(file->buffer);
    file->buffer = NULL;
    return flushed != SQLITE_OK ? flushed : rc;
}

static int bufferRead(sqlite3_file *base, void *data, int amount, sqlite3_int64 offset) {
    BufferedFile *file = (BufferedFile *)base;
    if (overlapsBuffer(file, offset, amount)) {
        int rc = flushBuffer(file);
        if (rc != SQLITE_OK) return rc;
    }
    return file->real->pMethods->xRead(file->real, data, amount, offset);
}

static int bufferWrite(sqlite3_file *base, const void *data, int amount, sqlite3_int64 offset) {
    BufferedFile *file = (BufferedFile *)base;
    // Offset 0 is the log's header, written when the log starts again: SQLite syncs it before
    // the frames that follow it, and that sync is kept.
    if (offset == 0) file->needsOwnSync = 1;
    file->wroteSinceSync = 1;
    if (!file->isLog || file->partner == NULL || !file->partner->buffering) {
        int rc = flushBuffer(file);
        if (rc != SQLITE_OK) return rc;
        return file->real->pMethods->xWrite(file->real, data, amount, offset);
    }
    // Only a write that starts inside the buffer or right at its end joins it.
    if (file->length > 0 && (offset < file->start || offset > file->start + file->length)) {
        int rc = flushBuffer(file);
        if (rc != SQLITE_OK) return rc;
    }
    if (file->length == 0) file->start = offset;
    sqlite3_int64 end = offset + amount - file->start;
    sqlite3_int64 needed = end > file->length ? end : file->length;
    if (needed > file->capacity) {
        sqlite3_int64 capacity = file->capacity < INITIAL_BUFFER ? INITIAL_BUFFER : file->capacity;
        while (capacity < needed) capacity *= 2;
        unsigned char *grown = capacity <= MAXIMUM_BUFFER ? realloc(file->buffer, (size_t)capacity) : NULL;
        if (grown == NULL) {
            int rc = flushBuffer(file);
            if (rc != SQLITE_OK) return rc;
            return file->real->pMethods->xWrite(file->real, data, amount, offset);
        }
        file->buffer = grown;
        file->capacity = capacity;
    }
    memcpy(file->buffer + (offset - file->start), data, (size_t)amount);
    file->length = needed;
    file->statistics.bufferedWrites += 1;
    return SQLITE_OK;
}

static int bufferTruncate(sqlite3_file *base, sqlite3_int64 size) {
    BufferedFile *file = (BufferedFile *)base;
    int rc = flushBuffer(file);
    if (rc != SQLITE_OK) return rc;
    return file->real->pMethods->xTruncate(file->real, size);
}

static int bufferSync(sqlite3_file *base, int flags) {
    BufferedFile *file = (BufferedFile *)base;
    int rc = flushBuffer(file);
    if (rc != SQLITE_OK) return rc;
    // A deferred commit sync: the frames are in the file (above); making them durable is the
    // caller's, before it acknowledges the commit.
    int wrote = file->wroteSinceSync;
    file->wroteSinceSync = 0;
    if (file->isLog && file->partner != NULL && file->partner->deferring && wrote && !file->needsOwnSync
        && file->syncDescriptor >= 0) {
        file->statistics.deferredSyncs += 1;
        return SQLITE_OK;
    }
    rc = file->real->pMethods->xSync(file->real, flags);
    if (rc == SQLITE_OK) {
        if (file->isLog) file->statistics.syncs += 1;
        file->needsOwnSync = 0;
    } else {
        file->wroteSinceSync = wrote;
    }
    return rc;
}

static int bufferFileSize(sqlite3_file *base, sqlite3_int64 *size) {
    BufferedFile *file = (BufferedFile *)base;
    int rc = flushBuffer(file);
    if (rc != SQLITE_OK) return rc;
    return file->real->pMethods->xFileSize(file->real, size);
}

static int bufferLock(sqlite3_file *base, int level) {
    BufferedFile *file = (BufferedFile *)base;
    return file->real->pMethods->xLock(file->real, level);
}

static int bufferUnlock(sqlite3_file *base, int level) {
    BufferedFile *file = (BufferedFile *)base;
    return file->real->pMethods->xUnlock(file->real, level);
}

static int bufferCheckReservedLock(sqlite3_file *base, int *result) {
    BufferedFile *file = (BufferedFile *)base;
    return file->real->pMethods->xCheckReservedLock(file->real, result);
}

static int bufferFileControl(sqlite3_file *base, int op, void *argument) {
    BufferedFile *file = (BufferedFile *)base;
    if (op == SQLITE_WAL_BUFFER_FCNTL_ENABLE) {
        file->buffering = *(int *)argument != 0;
        if (!file->buffering && file->partner != NULL) return flushBuffer(file->partner);
        return SQLITE_OK;
    }
    if (op == SQLITE_WAL_BUFFER_FCNTL_DEFER_SYNC) {
        file->deferring = *(int *)argument != 0 && file->buffering;
        return SQLITE_OK;
    }
    if (op == SQLITE_WAL_BUFFER_FCNTL_SYNC_DESCRIPTOR) {
        *(int *)argument = file->partner != NULL ? file->partner->syncDescriptor : -1;
        return SQLITE_OK;
    }
    if (op == SQLITE_WAL_BUFFER_FCNTL_STATISTICS) {
        SQLiteWALBufferStatistics none = {0, 0, 0, 0};
        *(SQLiteWALBufferStatistics *)argument = file->partner != NULL ? file->partner->statistics : none;
        return SQLITE_OK;
    }
    // Whatever a control does to the file, it sees every write made so far.
    int rc = flushBuffer(file);
    if (rc != SQLITE_OK) return rc;
    if (op == SQLITE_FCNTL_VFSNAME) {
        int result = file->real->pMethods->xFileControl(file->real, op, argument);
        if (result == SQLITE_OK) {
            char *inner = *(char **)argument;
            *(char **)argument = sqlite3_mprintf("%s/%z", bufferVFS.zName, inner);
        }
        return result;
    }
    return file->real->pMethods->xFileControl(file->real, op, argument);
}

static int bufferSectorSize(sqlite3_file *base) {
    BufferedFile *file = (BufferedFile *)base;
    return file->real->pMethods->xSectorSize(file->real);
}

static int bufferDeviceCharacteristics(sqlite3_file *base) {
    BufferedFile *file = (BufferedFile *)base;
    return file->real->pMethods->xDeviceCharacteristics(file->real);
}

static int bufferShmMap(sqlite3_file *base, int region, int size, int extend, void volatile **address) {
    BufferedFile *file = (BufferedFile *)base;
    if (file->real->pMethods->iVersion < 2) return SQLITE_IOERR_SHMMAP;
    return file->real->pMethods->xShmMap(file->real, region, size, extend, address);
}

/// Lock 0 of the shared memory is the log's write lock.
#define WAL_WRITE_LOCK 0

static int bufferShmLock(sqlite3_file *base, int offset, int count, int flags) {
    BufferedFile *file = (BufferedFile *)base;
    if (file->real->pMethods->iVersion < 2) return SQLITE_IOERR_SHMLOCK;
    // Giving up the write lock: the next writer may be another connection, so every frame
    // written so far goes to the file first.
    if ((flags & SQLITE_SHM_UNLOCK) && offset <= WAL_WRITE_LOCK && WAL_WRITE_LOCK < offset + count
        && file->partner != NULL) {
        int rc = flushBuffer(file->partner);
        if (rc != SQLITE_OK) return rc;
    }
    return file->real->pMethods->xShmLock(file->real, offset, count, flags);
}

static void bufferShmBarrier(sqlite3_file *base) {
    BufferedFile *file = (BufferedFile *)base;
    // A commit is published with a barrier between the two copies of the new log header, and
    // readers take the header only once both copies agree: the frames are in the file first.
    // A failed write here resurfaces: the sync that follows a commit, or the next read of the
    // log, finds the frames missing.
    if (file->partner != NULL) (void)flushBuffer(file->partner);
    if (file->real->pMethods->iVersion >= 2) file->real->pMethods->xShmBarrier(file->real);
}

static int bufferShmUnmap(sqlite3_file *base, int deleteFlag) {
    BufferedFile *file = (BufferedFile *)base;
    if (file->real->pMethods->iVersion < 2) return SQLITE_OK;
    return file->real->pMethods->xShmUnmap(file->real, deleteFlag);
}

static int bufferFetch(sqlite3_file *base, sqlite3_int64 offset, int amount, void **pointer) {
    BufferedFile *file = (BufferedFile *)base;
    if (file->real->pMethods->iVersion < 3 || overlapsBuffer(file, offset, amount)) {
        *pointer = NULL;
        return SQLITE_OK;
    }
    return file->real->pMethods->xFetch(file->real, offset, amount, pointer);
}

static int bufferUnfetch(sqlite3_file *base, sqlite3_int64 offset, void *pointer) {
    BufferedFile *file = (BufferedFile *)base;
    if (file->real->pMethods->iVersion < 3) return SQLITE_OK;
    return file->real->pMethods->xUnfetch(file->real, offset, pointer);
}

static const sqlite3_io_methods bufferMethods = {
    3,
    bufferClose,
    bufferRead,
    bufferWrite,
    bufferTruncate,
    bufferSync,
    bufferFileSize,
    bufferLock,
    bufferUnlock,
    bufferCheckReservedLock,
    bufferFileControl,
    bufferSectorSize,
    bufferDeviceCharacteristics,
    bufferShmMap,
    bufferShmLock,
    bufferShmBarrier,
    bufferShmUnmap,
    bufferFetch,
    bufferUnfetch,
};

// MARK: - VFS methods: open wraps, the rest go to the default VFS

static int bufferOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *base, int flags, int *outFlags) {
    (void)vfs;
    BufferedFile *file = (BufferedFile *)base;
    memset(file, 0, sizeof(BufferedFile));
    file->syncDescriptor = -1;
    file->needsOwnSync = 1;
    file->real = (sqlite3_file *)&file[1];
    int rc = defaultVFS->xOpen(defaultVFS, name, file->real, flags, outFlags);
    if (rc != SQLITE_OK) {
        if (file->real->pMethods != NULL) file->real->pMethods->xClose(file->real);
        base->pMethods = NULL;
        return rc;
    }
    file->isLog = (flags & SQLITE_OPEN_WAL) != 0;
    base->pMethods = &bufferMethods;
    if (name == NULL) return SQLITE_OK;
    pthread_mutex_lock(&databasesLock);
    if (flags & SQLITE_OPEN_MAIN_DB) {
        file->name = name;
        file->nextDatabase = openDatabases;
        openDatabases = file;
    } else if (file->isLog) {
        // SQLite keeps a connection's log name right after its database name, so this finds
        // that connection's own database file, not another connection's to the same path.
        const char *database = sqlite3_filename_database(name);
        for (BufferedFile *candidate = openDatabases; candidate != NULL; candidate = candidate->nextDatabase) {
            if (candidate->name == database) {
                candidate->partner = file;
                file->partner = candidate;
                break;
            }
        }
    }
    pthread_mutex_unlock(&databasesLock);
    if (file->isLog && file->partner == NULL) file->isLog = 0;  // no barrier to flush on: write through
    // SQLite holds no locks on the log file itself (they are on the shared memory), so
    // closing this second descriptor never drops one.
    if (file->isLog) file->syncDescriptor = open(name, O_RDWR | O_CLOEXEC);
    return SQLITE_OK;
}

int sqlite_wal_buffer_sync_descriptor(int descriptor) {
#if defined(__APPLE__)
    // What SQLite's own sync does there unless `PRAGMA fullfsync` is on.
    int result = fsync(descriptor);
#else
    int result = fdatasync(descriptor);
#endif
    return result == 0 ? 0 : errno;
}

static int bufferDelete(sqlite3_vfs *vfs, const char *name, int syncDirectory) {
    (void)vfs;
    return defaultVFS->xDelete(defaultVFS, name, syncDirectory);
}

static int bufferAccess(sqlite3_vfs *vfs, const char *name, int flags, int *result) {
    (void)vfs;
    return defaultVFS->xAccess(defaultVFS, name, flags, result);
}

static int bufferFullPathname(sqlite3_vfs *vfs, const char *name, int size, char *out) {
    (void)vfs;
    return defaultVFS->xFullPathname(defaultVFS, name, size, out);
}

static void *bufferDlOpen(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return defaultVFS->xDlOpen(defaultVFS, name);
}

static void bufferDlError(sqlite3_vfs *vfs, int size, char *message) {
    (void)vfs;
    defaultVFS->xDlError(defaultVFS, size, message);
}

static void (*bufferDlSym(sqlite3_vfs *vfs, void *handle, const char *symbol))(void) {
    (void)vfs;
    return defaultVFS->xDlSym(defaultVFS, handle, symbol);
}

static void bufferDlClose(sqlite3_vfs *vfs, void *handle) {
    (void)vfs;
    defaultVFS->xDlClose(defaultVFS, handle);
}

static int bufferRandomness(sqlite3_vfs *vfs, int size, char *out) {
    (void)vfs;
    return defaultVFS->xRandomness(defaultVFS, size, out);
}

static int bufferSleep(sqlite3_vfs *vfs, int microseconds) {
    (void)vfs;
    return defaultVFS->xSleep(defaultVFS, microseconds);
}

static int bufferCurrentTime(sqlite3_vfs *vfs, double *now) {
    (void)vfs;
    return defaultVFS->xCurrentTime(defaultVFS, now);
}

static int bufferGetLastError(sqlite3_vfs *vfs, int size, char *message) {
    (void)vfs;
    return defaultVFS->xGetLastError ? defaultVFS->xGetLastError(defaultVFS, size, message) : 0;
}

static int bufferCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *now) {
    (void)vfs;
    return defaultVFS->xCurrentTimeInt64(defaultVFS, now);
}

static void registerOnce(void) {
    defaultVFS = sqlite3_vfs_find(NULL);
    if (defaultVFS == NULL) return;
    memset(&bufferVFS, 0, sizeof(bufferVFS));
    // Version 2 is all this VFS needs; system-call overrides stay with the default VFS.
    bufferVFS.iVersion = 2;
    bufferVFS.szOsFile = (int)sizeof(BufferedFile) + defaultVFS->szOsFile;
    bufferVFS.mxPathname = defaultVFS->mxPathname;
    bufferVFS.zName = SQLITE_WAL_BUFFER_VFS_NAME;
    bufferVFS.xOpen = bufferOpen;
    bufferVFS.xDelete = bufferDelete;
    bufferVFS.xAccess = bufferAccess;
    bufferVFS.xFullPathname = bufferFullPathname;
    bufferVFS.xDlOpen = bufferDlOpen;
    bufferVFS.xDlError = bufferDlError;
    bufferVFS.xDlSym = bufferDlSym;
    bufferVFS.xDlClose = bufferDlClose;
    bufferVFS.xRandomness = bufferRandomness;
    bufferVFS.xSleep = bufferSleep;
    bufferVFS.xCurrentTime = bufferCurrentTime;
    bufferVFS.xGetLastError = bufferGetLastError;
    bufferVFS.xCurrentTimeInt64 = defaultVFS->iVersion >= 2 ? bufferCurrentTimeInt64 : NULL;
    if (bufferVFS.xCurrentTimeInt64 == NULL) bufferVFS.iVersion = 1;
    registrationResult = sqlite3_vfs_register(&bufferVFS, 0);
}

int sqlite_wal_buffer_register(void) {
    pthread_once(&registration, registerOnce);
    return registrationResult;
}
