import Foundation
import GRDB
import SharedDatabase
import Testing

/// Writeback is started through a descriptor SQLite already has open, never one of its own.
@Suite final class FileWritebackTests: Sendable {
    private let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("FileWritebackTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    private func temporaryPath(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    @Test func startsOnAFileSQLiteHasOpenAndOnNoOther() throws {
        let path = temporaryPath("open.sqlite")
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (x BLOB)")
            try db.execute(sql: "INSERT INTO t VALUES (zeroblob(100000))")
        }
        let notOpen = temporaryPath("closed.txt")
        try Data("not open".utf8).write(to: URL(fileURLWithPath: notOpen))
        #if os(Linux)
            #expect(FileWriteback.start(path: path))
        #else
            #expect(!FileWriteback.start(path: path))
        #endif
        #expect(!FileWriteback.start(path: notOpen))
        #expect(!FileWriteback.start(path: path + ".missing"))
        // Nothing was closed: SQLite's descriptor, and its locks, are as they were.
        try queue.write { db in try db.execute(sql: "INSERT INTO t VALUES (1)") }
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") } == 2)
    }
}
