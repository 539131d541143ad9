import FastSQLite
import GRDB
import SharedDatabase

/// The audit entries a group commit has appended and not yet inserted: they are inserted
/// together, in statements of up to 32 rows, just before the batch commits.
///
/// One statement per entry reopened the table's cursor and its eight indexes' and read and wrote
/// the `AUTOINCREMENT` counter for every entry; a statement of many rows keeps each cursor on its
/// leaf between rows and moves the counter once (45,300 SQLite instructions an entry one at a
/// time against 29,900 thirty at a time, in a test of the same schema).
///
/// Entries wait only where nothing can miss them: in a group commit's ``TransactionMemo``, on a
/// connection that runs no triggers (the audit log's row triggers look for a contact's latest
/// entry). Inside a batch only ``SQLiteAuditStore/append(_:_:clock:)`` touches `audit_entry`, and
/// where it reads or updates it (a contact's latest `after`, an undo's `undone_by`) it calls
/// ``insert(_:)`` first; every other reader of the log runs in a transaction of its own and sees
/// committed entries only, which the memo inserted before the commit. A batch that fails is
/// rolled back with its memo and rerun without one, each entry then inserted by its own
/// statement.
final class PendingAuditEntries {
    /// Each entry's values, in ``columns`` order. `@exclusivity(unchecked)`: only the writer's
    /// transaction touches them, and no access calls out while it lasts.
    @exclusivity(unchecked) private var rows: [[SQLArgument]] = []

    private init() {}

    /// The columns of an entry, in the order its values are given.
    static let columns = """
        audit_id, contact_id, operation, revision_before, revision_after, before_json, after_json, changed_fields, \
        timestamp, timestamp_ms, actor, request_id, undo_of, group_id, merged_from, merged_into, restored_as, run_id, \
        run_key, chain_seq, hash, previous_id
        """
    private static let columnCount = 22

    /// Inserts the entry `values` (``columns`` order) now, or, inside a group commit on a
    /// connection without triggers, with the batch's other entries before it commits.
    static func append(_ db: Database, _ values: [SQLArgument]) throws {
        precondition(values.count == columnCount)
        guard let memo = TransactionMemo.current(db), !ConnectionTriggers.areRunning(on: db) else {
            return try db.statement(for: insertOne).run(arguments: values)
        }
        if let pending = memo.value(PendingAuditEntries.self) {
            pending.rows.append(values)
            return
        }
        let pending = PendingAuditEntries()
        pending.rows.append(values)
        memo.keep(pending) { db, pending in try pending.insertAll(db) }
    }

    /// Inserts the entries `db`'s group commit is holding, if any: for anything about to read or
    /// update `audit_entry` inside the batch.
    static func insert(_ db: Database) throws {
        try TransactionMemo.current(db)?.value(PendingAuditEntries.self)?.insertAll(db)
    }

    private func insertAll(_ db: Database) throws {
        var rest = rows[...]
        rows.removeAll()
        for (count, sql) in Self.inserts {
            while rest.count >= count {
                try db.statement(for: sql).run(rows: rest.prefix(count))
                rest = rest.dropFirst(count)
            }
        }
    }

    /// `INSERT` statements of 32, 16, 8, 4, 2 and 1 rows, largest first.
    private static let inserts: [(rows: Int, sql: BatchSQL)] = [32, 16, 8, 4, 2, 1].map { count in
        let row = "(" + Array(repeating: "?", count: columnCount).joined(separator: ", ") + ")"
        let values = Array(repeating: row, count: count).joined(separator: ", ")
        return (count, BatchSQL("INSERT INTO audit_entry (\(columns)) VALUES \(values)"))
    }

    /// The `INSERT` of one entry.
    private static let insertOne = inserts[inserts.count - 1].sql
}
