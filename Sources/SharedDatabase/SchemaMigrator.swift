public import Foundation
public import GRDB
import WixContacts

/// Schema migrations that any number of processes may run at once on one file.
///
/// GRDB's `DatabaseMigrator` reads which migrations are applied and then runs each missing one
/// in a transaction of its own. Two processes starting together on a new file both read "none
/// applied" and both create the tables: one fails with "table already exists" or a duplicate
/// migration row. Here the check and every migration run in one `IMMEDIATE` transaction, which
/// holds the file's write lock: the first process migrates, the others wait for the lock (within
/// the busy timeout), find the work done, and proceed. Opening a file that is already up to date
/// takes no lock at all.
///
/// Applied migrations are recorded in GRDB's `grdb_migrations` table, so files migrated by
/// earlier builds (through `DatabaseMigrator`) are read as they are. Several schemas may share a
/// file: each owns the identifiers ``owns(_:)`` says are its own and checks only those.
///
/// A file that holds none of a schema's migrations can be given the whole schema at once
/// (``registerFresh(_:)``) instead of by replaying every migration: most of a new file's start
/// was SQLite parsing the schema again after each `ALTER`, `DROP` and `RENAME` of the history.
///
/// ```swift
/// var schema = SchemaMigrator(name: "The database", owns: { !$0.hasPrefix("audit ") })
/// schema.register("v1: contacts") { db in try db.execute(sql: "CREATE TABLE contact (...)") }
/// try schema.migrate(pool, timeout: 10)
/// ```
public struct SchemaMigrator: Sendable {
    /// What ``migrate(_:timeout:)`` did.
    public enum Outcome: Equatable, Sendable {
        /// Every migration was applied already.
        case upToDate
        /// The file held none of them and was given the whole schema at once.
        case fresh
        /// This many migrations were applied one by one.
        case migrated(Int)
    }

    /// What the schema is called in the error that refuses a newer file ("The audit log").
    public let name: String
    /// Whether an identifier in `grdb_migrations` belongs to this schema.
    public let owns: @Sendable (String) -> Bool
    private var migrations: [(identifier: String, body: @Sendable (Database) throws -> Void)] = []
    private var fresh: (@Sendable (Database) throws -> Void)?

    /// A schema with no migrations yet.
    public init(name: String, owns: @escaping @Sendable (String) -> Bool) {
        self.name = name
        self.owns = owns
    }

    /// Adds a migration, applied after the ones registered before it.
    public mutating func register(_ identifier: String, _ body: @escaping @Sendable (Database) throws -> Void) {
        precondition(owns(identifier), "migration \(identifier) is not named as \(name)'s")
        migrations.append((identifier, body))
    }

    /// Sets what a file holding none of this schema's migrations gets instead of all of them:
    /// `body` creates at once exactly what they create one after the other (the same objects,
    /// with the same text in `sqlite_schema`, and the same rows). Every migration is then
    /// recorded as applied. Should `body` fail (the file holds an object of the schema that no
    /// migration recorded), it is rolled back and the migrations run as before.
    public mutating func registerFresh(_ body: @escaping @Sendable (Database) throws -> Void) {
        fresh = body
    }

    /// The same schema without the body of ``registerFresh(_:)``: every migration replayed, the
    /// reference a test compares the fresh schema with.
    public var migrationsOnly: SchemaMigrator {
        var schema = self
        schema.fresh = nil
        return schema
    }

    /// The registered identifiers, in order.
    public var identifiers: [String] { migrations.map(\.identifier) }

    /// Applies what is missing, under the write lock, waiting up to `timeout` seconds for it.
    ///
    /// - Throws: `INTERNAL` when the file holds a migration of this schema that this build does
    ///   not know (a newer build migrated it: its data may mean something this build would
    ///   misread); busy past the deadline; any error of a migration, after rolling back all.
    @discardableResult
    public func migrate(_ writer: some DatabaseWriter, timeout: TimeInterval) throws -> Outcome {
        let known = Set(identifiers)
        let applied = try writer.read { db in try Self.appliedIdentifiers(db) }
        try refuseNewer(applied, known: known)
        if known.isSubset(of: applied) { return .upToDate }
        return try BusyWait.retrying(for: timeout) {
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE TRANSACTION")
                do {
                    let outcome = try apply(db, known: known)
                    try db.execute(sql: "COMMIT TRANSACTION")
                    return outcome
                } catch {
                    if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK TRANSACTION") }
                    throw error
                }
            }
        }
    }

    /// Inside the write lock: what another process applied in the meantime is not applied again.
    private func apply(_ db: Database, known: Set<String>) throws -> Outcome {
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
        let applied = try Self.appliedIdentifiers(db)
        try refuseNewer(applied, known: known)
        let missing = migrations.filter { !applied.contains($0.identifier) }
        if missing.isEmpty { return .upToDate }
        if applied.filter(owns).isEmpty, let fresh, try Self.savepoint(db, fresh) {
            try record(identifiers, db)
            return .fresh
        }
        for migration in missing {
            try migration.body(db)
            try record([migration.identifier], db)
        }
        return .migrated(missing.count)
    }

    private func record(_ identifiers: some Sequence<String>, _ db: Database) throws {
        let insert = try db.cachedStatement(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)")
        for identifier in identifiers { try insert.execute(arguments: [identifier]) }
    }

    /// Runs `body` in a savepoint; rolled back when it throws. Whether it ran.
    private static func savepoint(_ db: Database, _ body: (Database) throws -> Void) throws -> Bool {
        try db.execute(sql: "SAVEPOINT fresh_schema")
        do {
            try body(db)
            try db.execute(sql: "RELEASE SAVEPOINT fresh_schema")
            return true
        } catch {
            try db.execute(sql: "ROLLBACK TO SAVEPOINT fresh_schema")
            try db.execute(sql: "RELEASE SAVEPOINT fresh_schema")
            return false
        }
    }

    private func refuseNewer(_ applied: Set<String>, known: Set<String>) throws {
        if let newest = applied.filter(owns).subtracting(known).sorted().last {
            throw ContactsError(
                .internalError,
                message:
                    "\(name) was written by a newer contacts-gateway (migration \"\(newest)\"); open it with that version or a later one."
            )
        }
    }

    private static func appliedIdentifiers(_ db: Database) throws -> Set<String> {
        guard try db.hasTable("grdb_migrations") else { return [] }
        return try String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations")
    }
}
