import FastSQLite
import Foundation
import GRDB
import Testing

/// The fast path binds, steps and resets GRDB's cached statements on a real SQLite file, and
/// leaves them usable by GRDB afterwards.
@Suite struct FastStatementTests {
    static func withDatabase<T>(_ body: (DatabaseQueue) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("FastSQLiteTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("fast.sqlite").path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id TEXT PRIMARY KEY NOT NULL, n INTEGER, body BLOB, note TEXT)")
        }
        return try body(queue)
    }

    @Test func valuesRoundTripIncludingNullsEmptyBlobsAndUnicode() throws {
        try Self.withDatabase { queue in
            try queue.write { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO t (id, n, body, note) VALUES (?, ?, ?, ?)")
                try insert.run(.text("a"), .int(Int64.max), .blob([0, 1, 255]), .text("Zoë 🙂"))
                try insert.run(.text("b"), .int(nil), .blob([]), .text(nil))
                try insert.run(arguments: [.text("c"), .int(-7), .null, .null])
            }
            try queue.read { db in
                let select = try db.cachedStatement(sql: "SELECT n, body, note FROM t WHERE id = ?")
                let a = try select.fetchFirst(.text("a")) { row in (row.int(0), row.bytes(1), row.text(2)) }
                #expect(a?.0 == Int.max)
                #expect(a?.1 == [0, 1, 255])
                #expect(a?.2 == "Zoë 🙂")
                // An empty blob is stored as a blob, not as NULL.
                #expect(try String.fetchOne(db, sql: "SELECT typeof(body) FROM t WHERE id = 'b'") == "blob")
                #expect(try String.fetchOne(db, sql: "SELECT typeof(n) FROM t WHERE id = 'b'") == "null")
                #expect(try select.fetchFirst(.text("c")) { $0.int(0) } == -7)
                #expect(try select.fetchFirst(.text("missing")) { $0.int(0) } == nil)
                // GRDB can still use the statement the fast path ran.
                #expect(try Row.fetchOne(select, arguments: ["a"])?["note"] == "Zoë 🙂")
            }
        }
    }

    @Test func failuresAreDatabaseErrorsAndTheStatementStaysUsable() throws {
        try Self.withDatabase { queue in
            try queue.write { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO t (id, n) VALUES (?, ?)")
                try insert.run(.text("a"), .int(1))
                do {
                    try insert.run(.text("a"), .int(2))
                    Issue.record("a duplicate primary key was accepted")
                } catch let error as DatabaseError {
                    #expect(error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY)
                    #expect(error.message?.contains("UNIQUE constraint failed: t.id") == true)
                }
                try insert.run(.text("b"), .int(2))
                #expect(try Int.fetchOne(db, sql: "SELECT SUM(n) FROM t") == 3)
            }
        }
    }
}
