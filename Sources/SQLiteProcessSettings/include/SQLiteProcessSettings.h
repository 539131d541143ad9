#ifndef SQLITE_PROCESS_SETTINGS_H
#define SQLITE_PROCESS_SETTINGS_H

#include "SQLiteConnectionTriggers.h"
#include "SQLiteFileWriteback.h"

/// Applies (once; later calls return the first result) the process-wide SQLite settings the
/// gateway runs with. They can only be set before SQLite initialises itself, which the first
/// connection, VFS lookup or VFS registration does, so call this before any of those.
///
/// - `SQLITE_CONFIG_MEMSTATUS` off: SQLite no longer counts its memory in use. The count takes a
///   process-wide mutex on every `sqlite3_malloc` and `sqlite3_free` (about 200 lock/unlock pairs
///   per contact update) and feeds only `sqlite3_memory_used`, `sqlite3_status` and the soft heap
///   limit, none of which the gateway uses.
///
/// Returns `SQLITE_OK`, or `SQLITE_MISUSE` when SQLite had already initialised (the settings then
/// stay SQLite's defaults; nothing else changes).
int sqlite_process_settings_apply(void);

#endif
