import JSONCore
import Testing

/// SPEC §8: the `history` and `undo` commands and argument handling of the real binary.
@Suite("Command line (SPEC §8)")
struct CLITests {
    /// What one command run printed and how it ended.
    struct Run {
        var termination: GatewayProcess.Termination
        var stdout: String
        var stderr: String
        var exitCode: Int32? { termination.exitCode }
    }

    private func run(_ arguments: [String]) throws -> Run {
        let process = try GatewayProcess(arguments: arguments)
        let termination = try process.finish()
        return Run(termination: termination, stdout: process.stdout.text, stderr: process.stderr.text)
    }

    /// A database holding one contact: create (audit 1), company A1 → A2 (audit 2), then A2 → A3
    /// (audit 3). The serving process has exited when this returns.
    private func seededDatabase() throws -> (sandbox: Sandbox, contactId: String) {
        let client = try GatewayClient()
        let id = try client.createContact(["name": ["first": "Cli"], "company": "A1"])
        try client.update(id, ["company": "A2"])
        try client.update(id, ["company": "A3"])
        #expect(try client.finish().exitCode == 0)
        return (client.sandbox, id)
    }

    @Test func historyPrintsOperationsRevisionArrowsAndFieldDiffs() throws {
        let (sandbox, id) = try seededDatabase()
        let history = try run(["history", id, "--db", sandbox.databasePath])
        #expect(history.exitCode == 0)
        #expect(history.stdout.contains("audit 3"))
        #expect(history.stdout.contains("Operation: update  revision 2 → 3"))
        #expect(history.stdout.contains("Operation: create  revision none → 1"))
        #expect(history.stdout.contains("info.company"))
        #expect(history.stdout.contains("- \"A2\""))
        #expect(history.stdout.contains("+ \"A3\""))
        #expect(!history.stdout.contains("\u{1B}["), "no colour when stdout is a pipe")
        // Newest first.
        let newest = try #require(history.stdout.range(of: "audit 3"))
        let oldest = try #require(history.stdout.range(of: "audit 1"))
        #expect(newest.lowerBound < oldest.lowerBound)

        let none = try run(["history", "someone-else", "--db", sandbox.databasePath])
        #expect(none.exitCode == 0)
        #expect(none.stdout.contains("No changes recorded"))
    }

    @Test func historyJsonPrintsOneEntryPerLine() throws {
        let (sandbox, id) = try seededDatabase()
        let history = try run(["history", "--json", "--limit", "2", "--db", sandbox.databasePath])
        #expect(history.exitCode == 0)
        let lines = history.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        let entries = try lines.map { try JSONValue.parse($0) }
        #expect(entries.compactMap { $0["auditId"]?.intValue } == [3, 2])
        #expect(entries.allSatisfy { $0["contactId"] == .string(id) && $0["operation"] == "update" })
        #expect(entries[0]["changedFields"] == ["info.company"])
    }

    @Test func undoExitCodesTellScriptsWhatHappened() throws {
        let (sandbox, _) = try seededDatabase()
        let db = ["--db", sandbox.databasePath]

        let conflict = try run(["undo", "2"] + db)
        #expect(conflict.exitCode == 3)
        #expect(conflict.stderr.contains("info.company"))

        let dryRun = try run(["undo", "3", "--dry-run"] + db)
        #expect(dryRun.exitCode == 0)
        #expect(dryRun.stdout.contains("info.company"))

        let undone = try run(["undo", "3"] + db)
        #expect(undone.exitCode == 0)
        #expect(undone.stdout.contains("Undid audit 3"))
        #expect(undone.stdout.contains("revision 4"))

        #expect(try run(["undo", "3"] + db).exitCode == 3)  // already undone
        #expect(try run(["undo", "999"] + db).exitCode == 4)
        #expect(try run(["undo", "1"] + db).exitCode == 3)  // a create whose contact changed since

        let forced = try run(["undo", "2", "--force"] + db)
        #expect(forced.exitCode == 0)
        let history = try run(["history", "--json", "--limit", "1"] + db)
        let latest = try JSONValue.parse(String(history.stdout.split(separator: "\n").first ?? ""))
        #expect(latest["operation"] == "undo")
        #expect(latest["undoOf"] == 2)
        #expect(latest["after"]?["info"]?["company"] == "A1")
    }

    @Test func helpExitsZeroAndListsTheSubcommands() throws {
        let help = try run(["--help"])
        #expect(help.exitCode == 0)
        for command in ["serve", "history", "undo"] {
            #expect(help.stdout.contains(command))
        }
    }

    @Test func invalidBackendFailsWithAMessageOnStderr() throws {
        let sandbox = try Sandbox()
        let result = try run(["--backend", "foo", "--db", sandbox.databasePath])
        #expect(result.exitCode != 0)
        #expect(result.exitCode != nil)
        #expect(result.stderr.contains("--backend"))
        #expect(result.stdout.isEmpty)
    }
}
