import ArgumentParser
import ContactAudit
import ContactsGateway
import Foundation
import JSONCore
import WixContacts

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `contacts-gateway history [CONTACT_ID]`: the audit log, like `git log -p`.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show the audit log, newest first: one block per change with a per-field diff.",
        discussion: "Colour is used only when stdout is a terminal. --json prints one JSON entry per line (JSON Lines)."
    )

    @OptionGroup var common: CommonOptions

    @Argument(help: "Only this contact's changes.")
    var contactId: String?

    @Flag(name: .long, help: "Print JSON Lines instead of text.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Show at most this many entries (1-1000).", valueName: "n"))
    var limit: Int = 20

    @Option(name: .long, help: ArgumentHelp("Only the changes of this run (see `runs`).", valueName: "run-id"))
    var run: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Only changes at or after this RFC 3339 time (2026-12-01T00:00:00Z).", valueName: "time"))
    var since: String?

    func validate() throws {
        guard (1...AuditHistoryQuery.maximumLimit).contains(limit) else {
            throw ValidationError("--limit must be from 1 to 1000.")
        }
        if let since, Timestamp.millisecondsSince1970(rfc3339: since) == nil {
            throw ValidationError("--since must be an RFC 3339 time such as 2026-12-01T00:00:00Z.")
        }
    }

    func run() async throws {
        let backend = try await common.openBackend(logger: common.bootstrapLogging())
        let page = try await backend.audit.history(
            AuditHistoryQuery(
                contactId: contactId, runId: run, since: since.flatMap(Timestamp.millisecondsSince1970(rfc3339:)),
                limit: limit))
        var output = ""
        if json {
            for entry in page.entries { output += entry.json.serializedString() + "\n" }
        } else {
            let renderer = HistoryRenderer(colour: isatty(1) == 1)
            for entry in page.entries { output += renderer.render(entry) + "\n" }
            if page.entries.isEmpty {
                output += "No changes recorded\(contactId.map { " for contact \($0)" } ?? "").\n"
            }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}

/// Renders one audit entry as a text block with a per-field diff.
struct HistoryRenderer {
    let colour: Bool

    func render(_ entry: AuditEntry) -> String {
        var lines: [String] = []
        var header = "audit \(entry.auditId)"
        if entry.operation == .external { header += " (outside the gateway)" }
        if let undoOf = entry.undoOf { header += " (undo of \(undoOf))" }
        if let undoneBy = entry.undoneBy { header += " (undone by \(undoneBy))" }
        lines.append(paint(header, entry.operation == .external ? "35" : "33"))
        lines.append("Contact:   \(entry.contactId)")
        lines.append(entry.operation == .external ? "Observed:  \(entry.timestamp)" : "Date:      \(entry.timestamp)")
        lines.append("Actor:     \(entry.actor ?? (entry.operation == .external ? "(outside: dashboard, form or another app)" : "-"))")
        if let runId = entry.links.runId { lines.append("Run:       \(runId)") }
        if let groupId = entry.links.groupId { lines.append("Group:     \(groupId)") }
        if let mergedFrom = entry.links.mergedFrom { lines.append("Merged:    from \(mergedFrom.joined(separator: ", "))") }
        if let mergedInto = entry.links.mergedInto { lines.append("Merged:    into \(mergedInto)") }
        if let restoredAs = entry.links.restoredAs { lines.append("Restored:  as \(restoredAs)") }
        let revisions =
            "\(entry.revisionBefore.map(String.init) ?? "none") → \(entry.revisionAfter.map(String.init) ?? "none")"
        lines.append("Operation: \(entry.operation)  revision \(revisions)")
        let before = (try? entry.beforeContact())??.info ?? ContactInfo()
        let after = (try? entry.afterContact())??.info ?? ContactInfo()
        for path in entry.changedFields {
            let field = path.hasPrefix("info.") ? String(path.dropFirst(5)) : path
            lines.append("")
            lines.append("    \(path)")
            if let old = before.writableJSON(field) { lines.append(paint("    - \(old.serializedString())", "31")) }
            if let new = after.writableJSON(field) { lines.append(paint("    + \(new.serializedString())", "32")) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
