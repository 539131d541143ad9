import Foundation
import GRDB
import Testing
import WixContacts

@testable import SharedDatabase

/// Real files in a fresh directory: pools opened and migrated from many threads at once behave
/// as processes do (each pool has its own connections and locks).
@Suite final class SchemaMigratorTests: Sendable {
    private let directory: URL
    private var path: String { directory.appendingPathComponent("shared.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("SchemaMigratorTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    private static func schema(_ identifiers: [String]) -> SchemaMigrator {
        var schema = SchemaMigrator(name: "The test schema", owns: { $0.hasPrefix("t") })
        for identifier in identifiers {
            schema.register(identifier) { db in
                try db.execute(sql: "CREATE TABLE \"\(identifier)\" (x)")
            }
        }
        return schema
    }

    private func openPool() throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return try SharedPool.open(path: path, configuration: configuration, timeout: 10)
    }

    @Test func eightPoolsOpeningANewFileTogetherMigrateItOnce() throws {
        let schema = Self.schema(["t1", "t2"])
        let failures = LockedList()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do {
                let pool = try openPool()
                try schema.migrate(pool, timeout: 10)
                try pool.close()
            } catch {
                failures.append("\(error)")
            }
        }
        #expect(failures.items.isEmpty)
        let pool = try openPool()
        let applied = try pool.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(applied.sorted() == ["t1", "t2"])
        #expect(try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test func aNewerMigrationOfThisSchemaIsRefusedAndAnotherSchemasIsNot() throws {
        let pool = try openPool()
        try Self.schema(["t1"]).migrate(pool, timeout: 1)
        try pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('other v9'), ('t9: from the future')")
        }
        #expect {
            try Self.schema(["t1"]).migrate(pool, timeout: 1)
        } throws: { error in
            (error as? ContactsError)?.message.contains("The test schema was written by a newer contacts-gateway")
                == true
                && (error as? ContactsError)?.message.contains("t9: from the future") == true
        }
    }

    /// `t1` and `t2` made by one statement instead of two migrations.
    private static func freshSchema() -> SchemaMigrator {
        var schema = Self.schema(["t1", "t2"])
        schema.registerFresh { db in try db.execute(sql: "CREATE TABLE t1 (x); CREATE TABLE t2 (x);") }
        return schema
    }

    @Test func aNewFileGetsTheFreshSchemaOnceAndRecordsEveryMigration() throws {
        let outcomes = LockedList()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                let pool = try openPool()
                outcomes.append("\(try Self.freshSchema().migrate(pool, timeout: 10))")
                try pool.close()
            } catch {
                outcomes.append("\(error)")
            }
        }
        #expect(outcomes.items.sorted() == ["fresh", "upToDate", "upToDate", "upToDate"])
        let pool = try openPool()
        let applied = try pool.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(applied.sorted() == ["t1", "t2"])
    }

    @Test func aFileWithSomeOfTheSchemaIsMigratedOnlyWhereItLags() throws {
        let pool = try openPool()
        try Self.schema(["t1"]).migrate(pool, timeout: 1)
        #expect(try Self.freshSchema().migrate(pool, timeout: 1) == .migrated(1))
        #expect(try pool.read { db in try db.tableExists("t2") })
    }

    /// A table of the schema made by hand, with no migration recorded: the fresh schema fails
    /// on it, is rolled back, and the migrations run as they always did (here `t2` fails too).
    @Test func aFreshSchemaThatFailsIsRolledBackAndTheMigrationsRun() throws {
        let pool = try openPool()
        try pool.write { db in try db.execute(sql: "CREATE TABLE t2 (x)") }
        #expect(throws: DatabaseError.self) { try Self.freshSchema().migrate(pool, timeout: 1) }
        #expect(try pool.read { db in try db.tableExists("t1") } == false)
        try pool.write { db in try db.execute(sql: "DROP TABLE t2; CREATE TABLE t1 (x)") }
        var tolerant = Self.schema([])
        tolerant.register("t1") { db in try db.execute(sql: "CREATE TABLE IF NOT EXISTS t1 (x)") }
        tolerant.registerFresh { db in try db.execute(sql: "CREATE TABLE t1 (x)") }
        #expect(try tolerant.migrate(pool, timeout: 1) == .migrated(1))
    }

    @Test func aFailingMigrationLeavesNothingApplied() throws {
        let pool = try openPool()
        var schema = Self.schema(["t1"])
        schema.register("t2: fails") { db in try db.execute(sql: "CREATE TABLE t1 (x)") }  // exists already
        #expect(throws: DatabaseError.self) { try schema.migrate(pool, timeout: 1) }
        let tables = try pool.read { db in try db.tableExists("t1") }
        #expect(!tables, "t1 was rolled back with the failing migration")
    }

    @Test func busyPastTheDeadlineIsThrownAndMapsToDatabaseBusy() throws {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let holder = try DatabaseQueue(path: path, configuration: configuration)
        try holder.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN EXCLUSIVE TRANSACTION; CREATE TABLE h (x)")
        }
        let started = Date()
        var fast = Configuration()
        fast.busyMode = .timeout(0.2)
        #expect {
            _ = try SharedPool.open(path: path, configuration: fast, timeout: 0.2)
        } throws: { error in
            BusyWait.isBusy(error)
                && (error as? any ContactsErrorConvertible)?.contactsError?.code == .databaseBusy
        }
        #expect(Date().timeIntervalSince(started) < 5)
        try holder.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        _ = try SharedPool.open(path: path, configuration: fast, timeout: 0.2)
    }

    /// A file in rollback mode is switched to WAL as it opens; one already in WAL mode is
    /// recognised by its header and not opened twice.
    @Test func aRollbackFileIsSwitchedToWALAndAWALFileIsRecognised() throws {
        #expect(!JournalMode.isWAL(path: path))  // no file yet
        let rollback = try DatabaseQueue(path: path)
        try rollback.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = DELETE; CREATE TABLE t (x)")
        }
        try rollback.close()
        #expect(!JournalMode.isWAL(path: path))
        let pool = try openPool()
        #expect(try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        try pool.close()
        #expect(JournalMode.isWAL(path: path))
        let notSQLite = directory.appendingPathComponent("notes.txt").path
        try Data("SQLite format 2 and more text".utf8).write(to: URL(fileURLWithPath: notSQLite))
        #expect(!JournalMode.isWAL(path: notSQLite))
    }

    @Test func retryingRunsTheStepAgainOnlyWhileBusy() throws {
        var attempts = 0
        let value = try BusyWait.retrying(for: 5) { () throws -> Int in
            attempts += 1
            if attempts < 3 { throw DatabaseError(resultCode: .SQLITE_BUSY) }
            return 42
        }
        #expect(value == 42 && attempts == 3)
        attempts = 0
        #expect(throws: DatabaseError.self) {
            try BusyWait.retrying(for: 5) { () throws -> Int in
                attempts += 1
                throw DatabaseError(resultCode: .SQLITE_CONSTRAINT)
            }
        }
        #expect(attempts == 1)
    }
}

/// Errors collected from concurrent work.
private final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ item: String) { lock.withLock { storage.append(item) } }
    var items: [String] { lock.withLock { storage } }
}
