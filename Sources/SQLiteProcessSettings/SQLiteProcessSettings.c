#include "SQLiteProcessSettings.h"

#include <pthread.h>
#include <sqlite3.h>

static pthread_once_t applied = PTHREAD_ONCE_INIT;
static int result = SQLITE_MISUSE;

static void applyOnce(void) {
    // Variadic, so Swift cannot call it directly.
    result = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int sqlite_process_settings_apply(void) {
    pthread_once(&applied, applyOnce);
    return result;
}
