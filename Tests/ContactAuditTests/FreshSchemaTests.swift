import Foundation
import GRDB
import SharedDatabase
import Testing

@testable import ContactAudit
@testable import ContactStore

/// A new file gets each schema at once (`registerFresh`), and that is exactly what replaying
/// every migration gives: the same objects with the same text in `sqlite_schema`, the same rows,
/// the same migrations recorded. When a migration is added, its objects change the fresh
/// schema too: a failure here prints the text `sqlite_schema` holds after the migrations.
@Suite final class FreshSchemaTests: Sendable {
    private let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("FreshSchemaTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    private func queue(_ name: String) throws -> DatabaseQueue {
        try DatabaseQueue(path: directory.appendingPathComponent(name).path)
    }

    /// Every object of the file but SQLite's own, by name.
    private static func objects(_ db: Database) throws -> [String] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT type, name, tbl_name, sql FROM sqlite_schema
                WHERE name NOT LIKE 'sqlite_%' ORDER BY name
                """
        ).map { "\($0[0] as String) \($0[1] as String) on \($0[2] as String):\n\($0[3] as String)" }
    }

    /// Every row of every table, as text; the chain's start date (the moment of the migration)
    /// only as whether it is a date.
    private static func rows(_ db: Database) throws -> [String] {
        let tables = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        return try tables.flatMap { table in
            try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map { row in
                var values = Array(row.columnNames.map { "\($0)=\(row[$0] as DatabaseValue)" })
                if table == "audit_chain_start", let date: String = row["started_at"] {
                    values = values.filter { !$0.hasPrefix("started_at=") }
                    values.append("started_at is a date: \(date.hasSuffix("Z") && date.count == 24)")
                }
                return "\(table): " + values.sorted().joined(separator: ", ")
            }.sorted()
        }
    }

    /// The objects' text in the order they were made, as a script (the store's, then the log's).
    private static func script(_ db: Database) throws -> String {
        try String.fetchAll(
            db,
            sql: """
                SELECT sql FROM sqlite_schema
                WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations' ORDER BY rowid
                """
        ).map { $0 + ";" }.joined(separator: "\n")
    }

    /// Expects the two files alike; on a difference, prints what the migrations made.
    private func expectAlike(_ replayed: DatabaseQueue, _ fresh: DatabaseQueue) throws {
        let expected = try replayed.read { db in (try Self.objects(db), try Self.rows(db)) }
        let actual = try fresh.read { db in (try Self.objects(db), try Self.rows(db)) }
        #expect(expected.0.count > 10 && !expected.1.isEmpty)
        if actual.0 != expected.0 {
            let made = try replayed.read(Self.script)
            let missing = expected.0.filter { !actual.0.contains($0) }.joined(separator: "\n")
            let extra = actual.0.filter { !expected.0.contains($0) }.joined(separator: "\n")
            Issue.record(
                """
                The fresh schema differs from the migrations'.
                Made only by the migrations:\n\(missing)\nMade only at once:\n\(extra)
                The migrations made, in this order:\n\(made)
                """)
        }
        #expect(actual.1 == expected.1)
    }

    @Test func theStoreAndItsAuditLogAtOnceAreTheMigrationsReplayed() throws {
        let replayed = try queue("replayed.sqlite")
        let (store, audit) = (StoreSchema.migrator, AuditSchema.migrator)
        #expect(try store.migrationsOnly.migrate(replayed, timeout: 1) == .migrated(store.identifiers.count))
        #expect(try audit.migrationsOnly.migrate(replayed, timeout: 1) == .migrated(audit.identifiers.count))
        let fresh = try queue("fresh.sqlite")
        #expect(try StoreSchema.migrator.migrate(fresh, timeout: 1) == .fresh)
        #expect(try AuditSchema.migrator.migrate(fresh, timeout: 1) == .fresh)
        try expectAlike(replayed, fresh)
        #expect(try StoreSchema.migrator.migrate(fresh, timeout: 1) == .upToDate)
        #expect(try AuditSchema.migrator.migrate(fresh, timeout: 1) == .upToDate)
        // The audit triggers on `contact` are there: they keep the latest `after` in the row.
        let triggers = try fresh.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'contact'")
        }
        #expect(Set(triggers).isSuperset(of: ContactRowAfters.triggers))
    }

    /// The wix backend's log is a file of its own, without the store's tables.
    @Test func anAuditLogOfItsOwnAtOnceIsTheMigrationsReplayed() throws {
        let replayed = try queue("replayed-audit.sqlite")
        try AuditSchema.migrator.migrationsOnly.migrate(replayed, timeout: 1)
        let fresh = try queue("fresh-audit.sqlite")
        #expect(try AuditSchema.migrator.migrate(fresh, timeout: 1) == .fresh)
        try expectAlike(replayed, fresh)
    }

    /// A file whose audit log came first (or was opened alone before) gets the store at once
    /// afterwards, and the audit triggers on `contact` when the log opens, as before.
    @Test func aStoreAddedToAnAuditLogAtOnceIsTheMigrationsReplayed() throws {
        let replayed = try queue("replayed-later.sqlite")
        try AuditSchema.migrator.migrationsOnly.migrate(replayed, timeout: 1)
        try StoreSchema.migrator.migrationsOnly.migrate(replayed, timeout: 1)
        try ContactRowAfters.installIfNeeded(replayed)
        let fresh = try queue("fresh-later.sqlite")
        try AuditSchema.migrator.migrate(fresh, timeout: 1)
        #expect(try StoreSchema.migrator.migrate(fresh, timeout: 1) == .fresh)
        try ContactRowAfters.installIfNeeded(fresh)
        try expectAlike(replayed, fresh)
    }
}
