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

    @Test func fetchAllReadsEveryRowAndTellsNullFromEmpty() throws {
        try Self.withDatabase { queue in
            try queue.write { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO t (id, n, body, note) VALUES (?, ?, ?, ?)")
                try insert.run(.text("a"), .int(0), .blob([]), .text(""))
                try insert.run(.text("b"), .null, .null, .null)
                try insert.run(.text("c"), .int(3), .blob([3]), .text("three"))
            }
            let rows = try queue.read { db in
                try db.cachedStatement(sql: "SELECT id, n, body, note FROM t WHERE id > ? ORDER BY id")
                    .fetchAll(arguments: [.text("")]) { row in
                        (row.text(0), row.optionalInt(1), row.optionalBytes(2), row.text(3), row.isNull(3))
                    }
            }
            #expect(rows.count == 3)
            #expect(rows[0].0 == "a" && rows[0].1 == 0 && rows[0].2 == [] && rows[0].3 == "" && !rows[0].4)
            #expect(rows[1].0 == "b" && rows[1].1 == nil && rows[1].2 == nil && rows[1].3 == nil && rows[1].4)
            #expect(rows[2].0 == "c" && rows[2].1 == 3 && rows[2].2 == [3] && rows[2].3 == "three")
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

    @Test func severalRowsBindOneAfterAnotherAndAFailureLeavesTheStatementUsable() throws {
        try Self.withDatabase { queue in
            try queue.write { db in
                let insertTwo = try db.cachedStatement(
                    sql: "INSERT INTO t (id, n, body, note) VALUES (?, ?, ?, ?), (?, ?, ?, ?)")
                let rows: [[SQLArgument]] = [
                    [.text("a"), .int(1), .blob([1]), .text("one")],
                    [.text("b"), .null, .blob([]), .text("Zoë")],
                    [.text("c"), .int(3), .null, .null],
                ]
                try insertTwo.run(rows: rows[0..<2])
                // A slice that does not start at 0 binds from parameter 1 too.
                do {
                    try insertTwo.run(rows: rows[1..<3])
                    Issue.record("a duplicate primary key was accepted")
                } catch let error as DatabaseError {
                    #expect(error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY)
                }
                try db.cachedStatement(sql: "INSERT INTO t (id, n, body, note) VALUES (?, ?, ?, ?)").run(
                    rows: rows[2...])
                let stored = try db.cachedStatement(sql: "SELECT id, n, body, note FROM t ORDER BY id")
                    .fetchAll(arguments: []) { row in
                        [
                            row.text(0), row.optionalInt(1).map(String.init), row.optionalBytes(2).map { "\($0)" },
                            row.text(3),
                        ]
                    }
                #expect(
                    stored == [
                        ["a", "1", "[1]", "one"], ["b", nil, "[]", "Zoë"], ["c", "3", nil, nil],
                    ])
            }
        }
    }
}
