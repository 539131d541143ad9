public import GRDB
import SQLiteProcessSettings

/// Whether one SQLite connection runs the triggers of its schema (`SQLiteConnectionTriggers.h`).
///
/// A connection without triggers leaves their work to its caller: the contact store's writer
/// does the counting its triggers do itself, and a contact's `UPDATE` then costs about half the
/// instructions (no trigger program, no statement journal for it). Other connections to the
/// file, in any process, still run every trigger.
public enum ConnectionTriggers {
    /// Whether `db`'s connection runs triggers.
    public static func areRunning(on db: Database) -> Bool {
        sqlite_connection_run_triggers(UnsafeMutableRawPointer(db.sqliteConnection), -1) != 0
    }

    /// Stops `db`'s connection running triggers, for as long as it is open.
    ///
    /// Its prepared statements are compiled again at their next use, once.
    public static func stop(on db: Database) throws {
        guard sqlite_connection_run_triggers(UnsafeMutableRawPointer(db.sqliteConnection), 0) == 0 else {
            throw DatabaseError(resultCode: .SQLITE_ERROR, message: "SQLite did not turn the connection's triggers off")
        }
    }
}
