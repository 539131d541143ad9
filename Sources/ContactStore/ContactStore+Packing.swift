import CompactJSON
import FastSQLite
public import GRDB

/// What one pass of ``ContactStore/packRows(_:after:limit:)`` did.
public struct PackedRows: Sendable {
    /// The last row it read; the next pass starts after it. `nil` when there were none left.
    public var lastRowID: Int64?
    /// Rows read.
    public var rows = 0
    /// Rows whose JSON it packed or packed again (the rest were packed already, or would not
    /// shrink).
    public var packed = 0
    /// The packed rows' JSON, in bytes, before and after.
    public var bytesBefore = 0
    public var bytesAfter = 0

    public init() {}

    /// Adds up two passes.
    public mutating func add(_ other: PackedRows) {
        lastRowID = other.lastRowID ?? lastRowID
        rows += other.rows
        packed += other.packed
        bytesBefore += other.bytesBefore
        bytesAfter += other.bytesAfter
    }
}

extension ContactStore {
    /// Packs (``CompactJSON``) the JSON of the next `limit` contact rows after `rowID` that keep
    /// it as is (written by hand or an import), or packed against an earlier dictionary (packed
    /// again, about 15 % smaller). It changes how the JSON is stored, not what it says: revisions
    /// and dates stay, and caches stay valid. A packed value that does not unpack is left as it
    /// is, for `verify` and reads to report.
    ///
    /// Inside the caller's write transaction. An `UPDATE OF json` trigger fires as for any
    /// change of the column: the audit log's (which would copy the old JSON into the contact's
    /// latest entry) must be suspended around it, as `SQLiteAuditStore.packContactRows` does.
    public static func packRows(_ db: Database, after rowID: Int64, limit: Int) throws -> PackedRows {
        var result = PackedRows()
        let update = try db.cachedStatement(sql: "UPDATE contact SET json = ? WHERE rowid = ?")
        let rows = try db.cachedStatement(sql: "SELECT rowid, json FROM contact WHERE rowid > ? ORDER BY rowid LIMIT ?")
        let found = try rows.fetchAll(arguments: [.int(Int(rowID)), .int(limit)]) { row in
            (Int64(row.int(0)), row.bytes(1))
        }
        for (id, json) in found {
            result.lastRowID = id
            result.rows += 1
            let plain: [UInt8]
            if json.first == UInt8(ascii: "{") {
                plain = json
            } else if CompactJSON.isPackedWithAnEarlierDictionary(json), let unpacked = try? CompactJSON.unpack(json) {
                plain = unpacked
            } else {
                continue
            }
            let packed = CompactJSON.pack(plain)
            guard packed.count < json.count else { continue }
            try update.run(.blob(packed), .int(Int(id)))
            result.packed += 1
            result.bytesBefore += json.count
            result.bytesAfter += packed.count
        }
        return result
    }
}
