import CZstd
import ContactAudit
import ContactStore
import Foundation
import GRDB
import JSONCore
import Testing
import WixContacts

@testable import ContactsGateway

/// A new local file is written from a template (`FreshDatabaseFile`) instead of created by its
/// migrations, and that template is exactly what the migrations make: the same objects with the
/// same text, the same rows. When a migration is added, the template must follow: a failure here
/// writes the new `Template.inc` and says where to copy it.
@Suite final class FreshDatabaseTemplateTests: Sendable {
    private let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("FreshDatabaseTemplateTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// What a file holds, as text: its journal mode and page size, every object but SQLite's own,
    /// and every row of every table.
    private static func content(ofFileAt path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            var lines = [
                "journal_mode=\(try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "")",
                "page_size=\(try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0)",
                "integrity=\(try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "")",
            ]
            lines += try Row.fetchAll(
                db,
                sql: "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
            ).map { "\($0[0] as String) \($0[1] as String) on \($0[2] as String): \($0[3] as String? ?? "")" }
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            for table in tables {
                lines += try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map { row in
                    "\(table): " + row.columnNames.map { "\($0)=\(row[$0] as DatabaseValue)" }.joined(separator: ", ")
                }.sorted()
            }
            return lines
        }
    }

    /// The file the store's and the audit log's migrations make, closed (its log checkpointed
    /// into it), with the template's placeholder as the chain's start.
    private func migratedFile() throws -> String {
        let migrated = path("migrated.sqlite")
        do {
            let store = try ContactStore(path: migrated, migratingAlso: [SQLiteAuditStore.schema])
            try store.database.write { db in
                try db.execute(
                    sql: "UPDATE audit_chain_start SET started_at = ?", arguments: [FreshDatabaseFile.placeholderDate])
            }
        }
        // A last connection that checkpoints the log into the file as it closes.
        try DatabaseQueue(path: migrated).writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
        return migrated
    }

    @Test func theTemplateIsWhatTheMigrationsMake() throws {
        let migrated = try migratedFile()
        let expected = try Self.content(ofFileAt: migrated)
        let fromTemplate = path("template.sqlite")
        var actual: [String] = []
        if let bytes = FreshDatabaseFile.bytes(startedAt: FreshDatabaseFile.placeholderDate) {
            try Data(bytes).write(to: URL(fileURLWithPath: fromTemplate))
            actual = try Self.content(ofFileAt: fromTemplate)
        }
        if actual != expected {
            let written = try Self.writeTemplate(of: migrated)
            Issue.record(
                """
                The template is not what the migrations make. The new one is at \(written): copy it to \
                Sources/FreshDatabaseTemplate/Template.inc.
                """)
        }
        // What differs, not the whole file.
        #expect(expected.filter { !actual.contains($0) } == [])
        #expect(actual.filter { !expected.contains($0) } == [])
        #expect(expected.contains("journal_mode=wal"))
        #expect(expected.contains("integrity=ok"))
    }

    @Test func aNewFileIsTheTemplateWithItsOwnStart() async throws {
        let file = path("new.sqlite")
        let millis: Int64 = 1_796_000_000_123
        #expect(FreshDatabaseFile.create(at: file, startedAt: millis) == .created)
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        // Nothing left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["new.sqlite"])
        let started = try await DatabaseQueue(path: file).read { db in
            try String.fetchOne(db, sql: "SELECT started_at FROM audit_chain_start")
        }
        #expect(started == Timestamp.rfc3339(millisecondsSince1970: millis))
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(FreshDatabaseFile.create(at: file, startedAt: millis + 1) == .existing)
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before)

        // A working store and log: a contact created, its entry chained from the start.
        let backend = try LocalBackend(path: file)
        let outcome = try await backend.create(
            patch: try ContactInfoPatch(json: ["name": ["first": "Ada"]]), allowDuplicates: false, member: false,
            context: RequestContext(actor: "test", requestId: "1"))
        #expect(outcome.auditId == 1)
        let verification = try await backend.audit.verify()
        #expect(verification.ok)
        #expect(verification.entries == 1)
    }

    @Test func aFileAlreadyThereIsLeftAlone() throws {
        let file = path("empty.sqlite")
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        #expect(FreshDatabaseFile.create(at: file, startedAt: 0) == .existing)
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)).isEmpty)
        // A log without its file: not replayed onto a template.
        let orphan = path("orphan.sqlite")
        #expect(FileManager.default.createFile(atPath: orphan + "-wal", contents: Data([1, 2, 3])))
        #expect(FreshDatabaseFile.create(at: orphan, startedAt: 0) == .unavailable)
        #expect(!FileManager.default.fileExists(atPath: orphan))
    }

    @Test func processesCreatingOneFileAtOnceGetOneFile() async throws {
        let file = path("raced.sqlite")
        let outcomes = await withTaskGroup(of: FreshDatabaseFile.Outcome.self) { group in
            for index in 0..<8 {
                group.addTask { FreshDatabaseFile.create(at: file, startedAt: Int64(index)) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == .created }.count == 1)
        #expect(outcomes.filter { $0 == .existing }.count == 7)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["raced.sqlite"])
        let integrity = try await DatabaseQueue(path: file).read { db in
            try String.fetchOne(db, sql: "PRAGMA integrity_check")
        }
        #expect(integrity == "ok")
    }

    /// Writes `Template.inc` for the file at `path` into the temporary directory; returns where.
    private static func writeTemplate(of path: String) throws -> String {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var packed = [UInt8](repeating: 0, count: ZSTD_compressBound(bytes.count))
        let size = ZSTD_compress(&packed, packed.count, bytes, bytes.count, 19)
        #expect(ZSTD_isError(size) == 0)
        packed.removeSubrange(size...)
        var text = """
            // Written by FreshDatabaseTemplateTests: the database file the store's and the audit log's
            // migrations make, its hash chain starting at a placeholder date, packed with Zstandard.
            // Do not edit; when a migration is added, that test fails and writes the new one.
            static const unsigned char packedTemplate[] = {

            """
        for start in stride(from: 0, to: packed.count, by: 16) {
            let line = packed[start..<min(start + 16, packed.count)].map { String(format: "0x%02x,", $0) }
            text += "    " + line.joined(separator: " ") + "\n"
        }
        text += "};\nenum { templateSize = \(bytes.count) };\n"
        let written = FileManager.default.temporaryDirectory.appendingPathComponent("Template.inc").path
        try text.write(toFile: written, atomically: true, encoding: .utf8)
        return written
    }
}
