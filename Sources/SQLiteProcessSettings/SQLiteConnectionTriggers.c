#include "SQLiteConnectionTriggers.h"

#include <sqlite3.h>

int sqlite_connection_run_triggers(void *connection, int run) {
    int now = -1;
    // Variadic, so Swift cannot call it directly.
    if (sqlite3_db_config((sqlite3 *)connection, SQLITE_DBCONFIG_ENABLE_TRIGGER, run, &now) != SQLITE_OK) return -1;
    return now;
}
