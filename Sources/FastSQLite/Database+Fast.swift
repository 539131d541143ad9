public import GRDB
import GRDBSQLite

extension Database {
    /// The rows the last finished `INSERT`, `UPDATE` or `DELETE` on this connection changed
    /// (`sqlite3_changes`): GRDB's `changesCount` without its check of the calling queue, which
    /// cost more than the answer on the writer's path. Ask only inside the database access that
    /// owns the connection, as for GRDB's.
    public var rowsChangedByLastStatement: Int {
        Int(sqlite3_changes(sqliteConnection))
    }
}
