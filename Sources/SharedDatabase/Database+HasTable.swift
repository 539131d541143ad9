public import GRDB
import FastSQLite

extension Database {
    /// Whether the main schema has a table named `name` (as SQLite compares names, without
    /// regard to ASCII case).
    ///
    /// GRDB's `tableExists(_:)` loads every object of the schema into sets to answer; its first
    /// use costs a start about 2.3 M instructions, most of it the Swift runtime finding those
    /// sets' conformances.
    public func hasTable(_ name: String) throws -> Bool {
        try cachedStatement(sql: "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE")
            .fetchFirst(.text(name)) { _ in true } ?? false
    }
}
