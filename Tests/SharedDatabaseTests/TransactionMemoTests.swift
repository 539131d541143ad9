import FastSQLite
import Foundation
import GRDB
import SharedDatabase
import Testing

/// A group commit's memo is found from the connection it was opened on, only while it is open,
/// keeps one value of each type, written once before the commit, and hands the batch's writes
/// one statement per ``BatchSQL``.
@Suite final class TransactionMemoTests: Sendable {
    private static let insert = BatchSQL("INSERT INTO t (x) VALUES (?)")
    private let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("TransactionMemoTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// A new file in the test's directory, with one table.
    private func temporaryQueue() throws -> DatabaseQueue {
        let path = directory.appendingPathComponent("memo-\(UUID().uuidString).sqlite").path
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE t (x INTEGER)") }
        return queue
    }

    @Test func isFoundOnlyFromItsConnectionAndOnlyWhileOpen() throws {
        let queue = try temporaryQueue()
        let other = try temporaryQueue()
        try queue.inDatabase { db in
            #expect(TransactionMemo.current(db) == nil)
            var inside: TransactionMemo?
            let committed = try TransactionMemo.run(on: db) {
                inside = TransactionMemo.current(db)
                // Another connection used on the same thread meanwhile has no memo.
                try other.inDatabase { otherDB in #expect(TransactionMemo.current(otherDB) == nil) }
                return true
            }
            #expect(committed)
            #expect(inside != nil)
            #expect(TransactionMemo.current(db) == nil)
        }
    }

    @Test func aNestedMemoGivesBackTheOuterOneWhenItEnds() throws {
        let queue = try temporaryQueue()
        try queue.inDatabase { db in
            _ = try TransactionMemo.run(on: db) {
                let outer = TransactionMemo.current(db)
                _ = try TransactionMemo.run(on: db) {
                    #expect(TransactionMemo.current(db) !== outer)
                    return false
                }
                #expect(TransactionMemo.current(db) === outer)
                return true
            }
        }
    }

    @Test func aBatchPreparesEachBatchSQLOnceAndRunsItForEveryWrite() throws {
        let queue = try temporaryQueue()
        try queue.inDatabase { db in
            var statements: [Statement] = []
            _ = try TransactionMemo.run(on: db) {
                for value in 1...3 {
                    let statement = try db.statement(for: Self.insert)
                    try statement.run(.int(value))
                    statements.append(statement)
                }
                return true
            }
            #expect(statements.count == 3)
            #expect(statements.allSatisfy { $0 === statements[0] })
            // Outside a batch: GRDB's cached statement for the same text.
            let outside = try db.statement(for: Self.insert)
            #expect(outside === (try db.cachedStatement(sql: Self.insert.text)))
            try outside.run(.int(4))
            #expect(try Int.fetchAll(db, sql: "SELECT x FROM t ORDER BY x") == [1, 2, 3, 4])
        }
    }

    private struct Counter { var n: Int }
    private struct Label { var text: String }

    @Test func keepsOneValueOfEachTypeAndWritesTheLatestOnceBeforeTheCommit() throws {
        let queue = try temporaryQueue()
        try queue.inDatabase { db in
            var written: [String] = []
            let committed = try TransactionMemo.run(on: db) {
                let memo = try #require(TransactionMemo.current(db))
                #expect(memo.value(Counter.self) == nil)
                for n in 1...3 {
                    memo.keep(Counter(n: (memo.value(Counter.self)?.n ?? 0) + n)) { db, counter in
                        try db.execute(sql: "INSERT INTO t (x) VALUES (?)", arguments: [counter.n])
                        written.append("counter \(counter.n)")
                    }
                }
                memo.keep(Label(text: "a")) { _, label in written.append("label \(label.text)") }
                memo.keep(Label(text: "b")) { _, label in written.append("label \(label.text)") }
                #expect(memo.value(Counter.self)?.n == 6)
                #expect(memo.value(Label.self)?.text == "b")
                #expect(written.isEmpty)
                return true
            }
            #expect(committed)
            // The latest of each, once, in the order each type was first kept.
            #expect(written == ["counter 6", "label b"])
            #expect(try Int.fetchAll(db, sql: "SELECT x FROM t") == [6])
        }
    }

    @Test func aBatchThatIsNotCommittedWritesNothingItKept() throws {
        let queue = try temporaryQueue()
        try queue.inDatabase { db in
            var flushed = false
            let committed = try TransactionMemo.run(on: db) {
                TransactionMemo.current(db)?.keep(Counter(n: 1)) { _, _ in flushed = true }
                return false
            }
            #expect(!committed)
            #expect(!flushed)
            // The next memo starts empty.
            _ = try TransactionMemo.run(on: db) {
                #expect(TransactionMemo.current(db)?.value(Counter.self) == nil)
                return true
            }
        }
    }
}
