#ifndef SQLITE_CONNECTION_TRIGGERS_H
#define SQLITE_CONNECTION_TRIGGERS_H

/// Whether the SQLite connection `connection` (a `sqlite3 *`) runs the triggers of its schema
/// (`SQLITE_DBCONFIG_ENABLE_TRIGGER`): `run` 1 turns them on, 0 off, -1 leaves them as they are.
/// Returns whether they run from now on (1 or 0), or -1 when SQLite refused.
///
/// The setting is the connection's own: other connections to the same file, in this process or
/// another, still run every trigger. Changing it makes SQLite compile the connection's prepared
/// statements again at their next use, so set it once, not around single statements.
int sqlite_connection_run_triggers(void *connection, int run);

#endif
