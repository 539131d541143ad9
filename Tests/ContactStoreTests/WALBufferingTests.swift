import Foundation
import GRDB
import Testing
import WixContacts

@testable import ContactStore

/// The WAL-buffering VFS: a commit's frames reach the file in a few writes, and every other
/// connection (through the plain default VFS here) sees each commit, whole, as soon as it is
/// made — with the log synced at each commit (`FULL`, the supported use) and, through the
/// barrier before a commit is published alone, without (`NORMAL`).
@Suite struct WALBufferingTests {
    /// A scratch directory with a database path in it; removed when the test ends.
    private static func withDatabasePath(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("WALBufferingTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory.appendingPathComponent("data base?#%.sqlite").path)
    }

    /// A connection through the VFS, in WAL mode with `synchronous`, holding `item(n, payload)`,
    /// its log writes buffered.
    private static func bufferedWriter(_ path: String, synchronous: String, cachePages: Int = 2000) throws
        -> DatabaseQueue
    {
        let uri = WALBuffering.openingPath(for: path, durableCommits: true)
        #expect(uri.hasPrefix("file:") && uri.hasSuffix("?vfs=contacts-gateway-wal-buffer"))
        let writer = try DatabaseQueue(path: uri)
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            try db.execute(sql: "PRAGMA cache_size = \(cachePages)")
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS item (n INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
            #expect(WALBuffering.enable(db))
        }
        return writer
    }

    /// Through a fresh plain connection: the row count, one row's payload, and the integrity check.
    private static func summary(of path: String, row: Int) throws -> (Int?, Data?, String?) {
        try DatabaseQueue(path: path).read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM item"),
                try Data.fetchOne(db, sql: "SELECT payload FROM item WHERE n = ?", arguments: [row]),
                try String.fetchOne(db, sql: "PRAGMA integrity_check")
            )
        }
    }

    private static func payload(_ n: Int, size: Int = 3000) -> Data {
        Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ n) })
    }

    @Test func theEscapedPathNamesTheSameFile() throws {
        try Self.withDatabasePath { path in
            let writer = try Self.bufferedWriter(path, synchronous: "FULL")
            try writer.write { db in try db.execute(sql: "INSERT INTO item VALUES (1, x'00')") }
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(
                try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM item") } == 1
            )
        }
    }

    @Test func aCommitIsWrittenInOnePiece() throws {
        try Self.withDatabasePath { path in
            let writer = try Self.bufferedWriter(path, synchronous: "FULL")
            let before = try #require(try writer.read { db in WALBuffering.statistics(db) })
            try writer.write { db in
                for n in 1...20 {
                    try db.execute(sql: "INSERT INTO item VALUES (?, ?)", arguments: [n, Self.payload(n)])
                }
            }
            let after = try #require(try writer.read { db in WALBuffering.statistics(db) })
            // 20 rows of 3 kB: at least 15 pages, two writes each, written out once.
            #expect(after.bufferedWrites - before.bufferedWrites >= 30)
            #expect(after.flushes - before.flushes == 1)
        }
    }

    @Test(arguments: ["FULL", "NORMAL"])
    func anotherConnectionSeesEveryCommit(synchronous: String) throws {
        try Self.withDatabasePath { path in
            let writer = try Self.bufferedWriter(path, synchronous: synchronous)
            let reader = try DatabaseQueue(path: path)
            for n in 1...150 {
                try writer.write { db in
                    try db.execute(sql: "INSERT INTO item VALUES (?, ?)", arguments: [n, Self.payload(n)])
                    if n % 3 == 0 {
                        try db.execute(
                            sql: "UPDATE item SET payload = ? WHERE n = ?", arguments: [Self.payload(-n), n - 1])
                    }
                }
                let (count, latest) = try reader.read { db in
                    (
                        try Int.fetchOne(db, sql: "SELECT count(*) FROM item"),
                        try Data.fetchOne(db, sql: "SELECT payload FROM item WHERE n = ?", arguments: [n])
                    )
                }
                #expect(count == n)
                #expect(latest == Self.payload(n))
            }
            #expect(try reader.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
        }
    }

    /// A reader that reads while commits land (not only after each one) never sees a published
    /// commit whose frames are not in the file yet.
    @Test(arguments: ["FULL", "NORMAL"])
    func concurrentReadersSeeWholeCommits(synchronous: String) async throws {
        try Self.withDatabasePath { path in
            let writer = try Self.bufferedWriter(path, synchronous: synchronous)
            try writer.write { db in try db.execute(sql: "INSERT INTO item VALUES (0, ?)", arguments: [Self.payload(0)])
            }
            let reader = try DatabaseQueue(path: path)
            let done = ManagedFlag()
            let reads = DispatchQueue(label: "WALBufferingTests.reader")
            let group = DispatchGroup()
            let failures = FailureLog()
            group.enter()
            reads.async {
                defer { group.leave() }
                while !done.isSet {
                    do {
                        let (top, payload) = try reader.read { db in
                            let top = try Int.fetchOne(db, sql: "SELECT max(n) FROM item") ?? -1
                            let payload = try Data.fetchOne(
                                db, sql: "SELECT payload FROM item WHERE n = ?", arguments: [top])
                            return (top, payload)
                        }
                        if payload != Self.payload(top) { failures.add("row \(top) read back wrong") }
                    } catch {
                        failures.add("\(error)")
                    }
                }
            }
            for n in 1...400 {
                try writer.write { db in
                    try db.execute(sql: "INSERT INTO item VALUES (?, ?)", arguments: [n, Self.payload(n)])
                }
            }
            done.set()
            group.wait()
            #expect(failures.messages.isEmpty, "\(failures.messages.prefix(3))")
        }
    }

    /// 12 MB in one transaction: past the buffer's limit, and far past the 128 kB the default VFS
    /// takes in one write.
    @Test func aLargeTransactionIsWrittenWhole() throws {
        try Self.withDatabasePath { path in
            let writer = try Self.bufferedWriter(path, synchronous: "FULL", cachePages: 8000)
            try writer.write { db in
                for n in 1...3000 {
                    try db.execute(sql: "INSERT INTO item VALUES (?, ?)", arguments: [n, Self.payload(n, size: 4000)])
                }
            }
            let (count, payload, check) = try Self.summary(of: path, row: 2999)
            #expect(count == 3000)
            #expect(payload == Self.payload(2999, size: 4000))
            #expect(check == "ok")
        }
    }

    /// A transaction too big for the page cache spills frames into the log before it commits;
    /// rolled back, those frames must not later overwrite what another connection committed.
    @Test func aRolledBackSpillNeverOverwritesAnotherWriter() throws {
        try Self.withDatabasePath { path in
            let writer = try Self.bufferedWriter(path, synchronous: "FULL", cachePages: 20)
            try writer.write { db in try db.execute(sql: "INSERT INTO item VALUES (0, x'00')") }
            struct Abandon: Error {}
            #expect(throws: Abandon.self) {
                try writer.write { db in
                    for n in 1...400 {
                        try db.execute(sql: "INSERT INTO item VALUES (?, ?)", arguments: [n, Self.payload(n)])
                    }
                    throw Abandon()
                }
            }
            let other = try DatabaseQueue(path: path)
            try other.write { db in
                for n in 1000..<1100 {
                    try db.execute(sql: "INSERT INTO item VALUES (?, ?)", arguments: [n, Self.payload(n)])
                }
            }
            try writer.write { db in try db.execute(sql: "INSERT INTO item VALUES (2000, x'01')") }
            try writer.close()
            try other.close()
            let (count, payload, check) = try Self.summary(of: path, row: 1050)
            #expect(count == 102)
            #expect(payload == Self.payload(1050))
            #expect(check == "ok")
        }
    }

    /// Until it is enabled, a connection through the VFS writes its log straight through.
    @Test func nothingIsBufferedUntilEnabled() throws {
        try Self.withDatabasePath { path in
            let writer = try DatabaseQueue(path: WALBuffering.openingPath(for: path, durableCommits: true))
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "CREATE TABLE item (n INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
                try db.execute(sql: "INSERT INTO item VALUES (1, ?)", arguments: [Self.payload(1)])
            }
            #expect(try writer.read { db in WALBuffering.statistics(db)?.bufferedWrites } == 0)
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                #expect(WALBuffering.enable(db))
                try db.execute(sql: "INSERT INTO item VALUES (2, ?)", arguments: [Self.payload(2)])
            }
            #expect(try writer.read { db in WALBuffering.statistics(db)?.bufferedWrites ?? 0 } > 0)
            #expect(try Self.summary(of: path, row: 2).1 == Self.payload(2))
        }
    }

    /// A durable store's writer buffers; a store that does not sync each commit does not use
    /// the VFS at all.
    @Test(arguments: [true, false])
    func aStoreBuffersOnlyWhenItsCommitsAreDurable(durable: Bool) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("WALBufferingTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try ContactStore(
            path: directory.appendingPathComponent("contacts.sqlite").path,
            configuration: StoreConfiguration(durableCommits: durable))
        _ = try await store.create(patch: ContactInfoPatch(json: ["name": ["first": "Ada"]]))
        let statistics = try await store.database.write { db in WALBuffering.statistics(db) }
        if durable {
            #expect((statistics?.bufferedWrites ?? 0) > 0)
        } else {
            #expect(statistics == nil)
        }
    }
}

/// What went wrong on another thread.
private final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [String] = []
    var messages: [String] { lock.withLock { recorded } }
    func add(_ message: String) { lock.withLock { recorded.append(message) } }
}
