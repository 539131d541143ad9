import ArgumentParser
import ContactAudit
import ContactsGateway
import Foundation
import JSONCore

/// `contacts-gateway runs`: the gateway processes that wrote to the log, newest first.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List runs (gateway processes), newest first, with how many changes each made.")

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: ArgumentHelp("Show at most this many runs (1-1000).", valueName: "n"))
    var limit: Int = 20

    @Flag(name: .long, help: "Print JSON Lines instead of text.")
    var json = false

    func run() async throws {
        let backend = try await common.openBackend(logger: common.bootstrapLogging())
        let page = try await backend.audit.runs(limit: min(max(limit, 1), 1000), cursor: nil)
        var output = ""
        for run in page.runs {
            if json {
                output += run.json.serializedString() + "\n"
            } else {
                output +=
                    "\(run.runId)  \(run.startedAt)  \(run.changes) change(s)  actor \(run.actor ?? "-")  pid \(run.pid.map(String.init) ?? "-")  \(run.host ?? "")\n"
            }
        }
        if page.runs.isEmpty && !json { output = "No runs recorded.\n" }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}

/// `contacts-gateway verify`: recompute the audit log's hash chain. Exit 0 intact, 6 not.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that no audit entry was edited, deleted or reordered (exit 0 intact, 6 not).")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let backend = try await common.openBackend(logger: common.bootstrapLogging())
        let verification = try await backend.audit.verify()
        if verification.ok {
            print("OK: \(verification.entries) entries chained; head \(verification.headHash ?? "-").")
            return
        }
        let at = verification.firstBadAuditId.map { "at audit \($0)" } ?? "at the end of the log"
        FileHandle.standardError.write(
            Data("TAMPERED \(at): \(verification.reason ?? "the chain does not match").\n".utf8))
        throw ExitCode(6)
    }
}

/// `contacts-gateway sync`: record the outside changes of every contact the log knows.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Walk every contact and record changes and deletions made outside the gateway (safe from cron).")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let backend = try await common.openBackend(logger: common.bootstrapLogging())
        let methods = GatewayMethods(backend: backend)
        let result = try await methods.call("audit.sync", params: nil, context: RequestContext(actor: nil, requestId: nil))
        print(
            "Scanned \(result["scanned"]?.intValue ?? 0) contacts: \(result["external"]?.intValue ?? 0) changed outside, \(result["deleted"]?.intValue ?? 0) deleted outside."
        )
    }
}
