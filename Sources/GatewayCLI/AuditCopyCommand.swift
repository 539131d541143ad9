import ArgumentParser
import ContactAudit
import ContactStore
import Foundation
import JSONCore
import Logging
import PostgresAudit
import WixContacts

/// `contacts-gateway audit …`: maintenance of the audit log itself.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Maintain the audit log.",
        subcommands: [AuditCopyCommand.self]
    )
}

/// `contacts-gateway audit copy --from FILE --to postgres://…`: moves a gateway's SQLite history
/// into an empty PostgreSQL log, keeping every entry's id and links, in one transaction.
struct AuditCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy an SQLite audit log into an empty PostgreSQL one (ids, links, snapshots and runs kept).",
        discussion: """
            The password comes only from PGPASSWORD, PGPASSFILE (~/.pgpass) or
            CONTACTS_GATEWAY_AUDIT_PASSWORD_FILE. Intents not yet settled are not copied: start the
            gateway on the SQLite log once first to settle them.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The SQLite file holding the audit log.", valueName: "path"))
    var from: String

    @Option(name: .long, help: ArgumentHelp("The PostgreSQL audit log: postgres://USER@HOST:PORT/DB or postgres://USER@/DB?host=/dir.", valueName: "url"))
    var to: String

    @Option(name: .long, help: ArgumentHelp("Log level on stderr.", valueName: "level"))
    var logLevel: String = "notice"

    func run() async throws {
        guard FileManager.default.fileExists(atPath: from) else {
            throw ValidationError("--from: no such file: \(from)")
        }
        var logger = Logger(label: "contacts-gateway")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .notice
        let source = try SQLiteAuditStore.open(path: from, clock: StoreConfiguration().clock)
        let pending = try await source.pendingIntents().count
        let target = try await SharedAuditLog.open(
            url: to, environment: ProcessInfo.processInfo.environment, logger: logger)
        let pages = SourcePages(source: source)
        var runs: [AuditRun] = []
        var runCursor: String?
        repeat {
            let page = try await source.runs(limit: 1000, cursor: runCursor)
            runs += page.runs
            runCursor = page.nextCursor
        } while runCursor != nil
        let copied: Int
        do {
            copied = try await target.importEntries(runs: runs) { try await pages.next() }
        } catch let error as ContactsError {
            await target.close()
            let reasons = error.details["fieldViolations"]?.arrayValue?.compactMap { $0["description"]?.stringValue } ?? []
            let text = "Error: " + (reasons.isEmpty ? error.description : reasons.joined(separator: " ")) + "\n"
            FileHandle.standardError.write(Data(text.utf8))
            throw ExitCode(1)
        } catch {
            await target.close()
            throw error
        }
        await target.close()
        var report = "Copied \(copied) audit entries and \(runs.count) runs to \(try PostgresEndpoint(url: to, environment: [:]))."
        if pending > 0 { report += " \(pending) unsettled intents were left in \(from)." }
        FileHandle.standardOutput.write(Data((report + "\n").utf8))
    }
}

/// The source log's settled entries, oldest first, a page at a time.
private actor SourcePages {
    let source: SQLiteAuditStore
    var cursor: String?
    var done = false

    init(source: SQLiteAuditStore) { self.source = source }

    func next() async throws -> [AuditEntry] {
        guard !done else { return [] }
        let page = try await source.history(
            AuditHistoryQuery(limit: AuditHistoryQuery.maximumLimit, cursor: cursor, descending: false))
        cursor = page.nextCursor
        done = page.nextCursor == nil
        return page.entries
    }
}
