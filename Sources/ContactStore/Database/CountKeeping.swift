import FastSQLite
import GRDB
import SharedDatabase

/// The work of the store's count triggers (``StoreSchema/contactCountTriggers`` and
/// ``StoreSchema/labelCountTriggers``), done by the store itself on a writer that runs no
/// triggers (``ContactStore/runWriterWithoutTriggers(recordedChangeTriggers:)``).
///
/// Each function runs the statements of one trigger's body, with `NEW` and `OLD` as arguments,
/// so a file's `contact_count`, `contact_order_change` and `contact_label_count` come out the
/// same whichever connection wrote it. On a connection that runs triggers they do nothing: the
/// triggers have done it.
enum CountKeeping {
    /// `contact_count_on_insert`, after `INSERT INTO contact`.
    static func contactInserted(_ db: Database, id: String, createdDate: Int64) throws {
        guard !ConnectionTriggers.areRunning(on: db) else { return }
        try moveOrder(db, id: id, createdDate: createdDate, delta: 1)
    }

    /// `contact_count_on_delete`, after `DELETE FROM contact`.
    static func contactDeleted(_ db: Database, id: String, createdDate: Int64) throws {
        guard !ConnectionTriggers.areRunning(on: db) else { return }
        try moveOrder(db, id: id, createdDate: createdDate, delta: -1)
    }

    /// Deletes contact `key`'s rows of the item table `table`, then, for `contact_label`, does
    /// the work of `contact_label_count_on_delete` for each row deleted.
    static func deleteItems(_ db: Database, table: String, key: Int64) throws {
        guard let statements = itemStatements[table] else { preconditionFailure("not an item table: \(table)") }
        // Looked for first: a `DELETE` that finds nothing (a new contact's items, a table the
        // contact has none in) still builds a temporary table for the rows it would delete, on
        // a page it allocates and zeroes. A create's three cost the one writer some 74,000
        // instructions; a look costs about 2,000.
        guard try db.statement(for: statements.any).fetchFirst(.int(key), body: { _ in true }) == true else { return }
        let delete = try db.statement(for: statements.delete)
        guard table == "contact_label", !ConnectionTriggers.areRunning(on: db) else {
            return try delete.run(.int(key))
        }
        let keys = try db.cachedStatement(sql: "SELECT label_key FROM contact_label WHERE contact_key = ?")
            .fetchAll(arguments: [.int(key)]) { $0.text(0) ?? "" }
        try delete.run(.int(key))
        let decrement = try db.cachedStatement(sql: "UPDATE contact_label_count SET n = n - 1 WHERE label_key = ?")
        let dropEmpty = try db.cachedStatement(sql: "DELETE FROM contact_label_count WHERE label_key = ? AND n <= 0")
        for labelKey in keys {
            try decrement.run(.text(labelKey))
            try dropEmpty.run(.text(labelKey))
        }
    }

    /// `contact_label_count_on_insert`, after `INSERT INTO contact_label` of `labelKey`.
    static func labelInserted(_ db: Database, labelKey: String) throws {
        guard !ConnectionTriggers.areRunning(on: db) else { return }
        try db.cachedStatement(
            sql: """
                INSERT INTO contact_label_count (label_key, n) VALUES (?, 1)
                    ON CONFLICT (label_key) DO UPDATE SET n = n + 1
                """
        ).run(.text(labelKey))
    }

    /// Whether one contact has rows, and their `DELETE`, for each item table.
    private static let itemStatements = Dictionary(
        uniqueKeysWithValues: StoreSchema.itemTables.map { table, _, _ in
            (
                table,
                (
                    any: BatchSQL("SELECT 1 FROM \(table) WHERE contact_key = ? LIMIT 1"),
                    delete: BatchSQL("DELETE FROM \(table) WHERE contact_key = ?")
                )
            )
        })

    private static func moveOrder(_ db: Database, id: String, createdDate: Int64, delta: Int64) throws {
        try db.statement(for: countContacts).run(.int(delta))
        try db.statement(for: noteOrderChange).run(.int(createdDate), .text(id), .int(delta))
        try db.statement(for: forgetOldOrderChanges).run()
    }

    private static let countContacts = BatchSQL("UPDATE contact_count SET n = n + ?, version = version + 1")
    private static let noteOrderChange = BatchSQL(
        """
        INSERT INTO contact_order_change (version, created_date, id, delta)
            SELECT version, ?, ?, ? FROM contact_count
        """)
    private static let forgetOldOrderChanges = BatchSQL(
        """
        DELETE FROM contact_order_change
            WHERE version <= (SELECT version FROM contact_count) - \(StoreSchema.orderChangesKept)
        """)
}
