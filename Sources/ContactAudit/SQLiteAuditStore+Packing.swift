public import ContactStore
import GRDB

extension SQLiteAuditStore {
    /// Packs the JSON of every contact row that keeps it as is (written by hand or an import) or
    /// packed against an earlier dictionary (``ContactStore/packRows(_:after:limit:)``), `batch`
    /// rows per transaction, so
    /// gateways serving the same file wait for one batch at most. `progress` hears of each.
    ///
    /// The triggers that keep a row's JSON for its latest entry (``ContactRowAfters``) are
    /// suspended inside each batch's transaction: the JSON says the same once packed, so the
    /// entry's left-out `after` still reads back (and hashes) as recorded.
    public func packContactRows(batch: Int = 5_000, progress: (PackedRows) -> Void = { _ in }) async throws
        -> PackedRows
    {
        var total = PackedRows()
        var after: Int64 = 0
        while true {
            let pass = try await database.write { [after] db in
                let suspended = try ContactRowAfters.triggers.filter { name in
                    try Bool.fetchOne(
                        db, sql: "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?", arguments: [name])
                        ?? false
                }
                for name in suspended { try db.execute(sql: "DROP TRIGGER \(name)") }
                let pass = try ContactStore.packRows(db, after: after, limit: batch)
                if !suspended.isEmpty { try ContactRowAfters.install(db) }
                return pass
            }
            guard let last = pass.lastRowID else { return total }
            total.add(pass)
            after = last
            progress(total)
        }
    }
}
