import Foundation
import JSONCore
import Testing

/// Issue #17: the log records changes made outside the gateway, groups changes by run, and
/// proves it was not edited.
@Suite("Audit log: outside changes, runs, hash chain")
struct AuditLogTests {
    @Test func aChangeMadeOutsideIsRecordedWhenReadAndCanBeUndone() throws {
        let client = try GatewayClient(.wix)
        let id = try client.createContact(["name": ["first": "Out"], "company": "Inside"])
        // The dashboard changes the company behind the gateway's back.
        let changed = try client.outside(
            "PATCH", "contacts/\(id)", ["info": ["company": "Dashboard"], "revision": 1])
        #expect(changed["contact"]?["revision"] == 2)

        let read = try client.result("contacts.get", ["contactId": .string(id)])
        #expect(read["contact"]?["info"]?["company"] == "Dashboard")
        let history = try client.result("audit.history", ["contactId": .string(id)])["entries"]
        let external = try #require(history?[0])
        #expect(external["operation"] == "external")
        #expect(external["revisionBefore"] == 1)
        #expect(external["revisionAfter"] == 2)
        #expect(external["before"]?["info"]?["company"] == "Inside")
        #expect(external["after"]?["info"]?["company"] == "Dashboard")
        #expect(external["changedFields"] == ["info.company"])
        #expect(external["actor"] == nil)
        #expect(external["observedAt"]?.stringValue != nil)
        // Reading again records nothing new.
        _ = try client.result("contacts.get", ["contactId": .string(id)])
        #expect(try client.result("audit.history", ["contactId": .string(id)])["entries"]?.arrayValue?.count == 2)

        let undone = try client.result("contacts.undo", ["auditId": external["auditId"] ?? .null])
        #expect(undone["contact"]?["info"]?["company"] == "Inside")
        // The wix backend's log (intents settled, outside entries) is one intact chain too.
        let verified = try client.result("audit.verify")
        #expect(verified["ok"] == true)
        #expect(verified["entries"] == 3)
    }

    @Test func syncFindsChangesToContactsNeverReadAndDeletions() throws {
        let client = try GatewayClient(.wix)
        let changed = try client.createContact(["name": ["first": "Changed"]])
        let deleted = try client.createContact(["name": ["first": "Deleted"]])
        let untouched = try client.createContact(["name": ["first": "Untouched"]])
        _ = try client.outside("PATCH", "contacts/\(changed)", ["info": ["jobTitle": "Editor"], "revision": 1])
        _ = try client.outside("DELETE", "contacts/\(deleted)")
        _ = try client.outside("POST", "contacts", ["info": ["name": ["first": "Stranger"]]])

        let summary = try client.result("audit.sync")
        #expect(summary == ["scanned": 3, "external": 1, "deleted": 1])
        let gone = try client.result("audit.history", ["contactId": .string(deleted)])["entries"]?[0]
        #expect(gone?["operation"] == "external")
        #expect(gone?["after"] == .null)
        #expect(gone?["before"]?["info"]?["name"]?["first"] == "Deleted")
        #expect(
            try client.result("audit.history", ["contactId": .string(untouched)])["entries"]?.arrayValue?.count == 1)
        // A second sync finds nothing new.
        #expect(try client.result("audit.sync") == ["scanned": 3, "external": 0, "deleted": 0])
        // The outside deletion is undone like any delete: the contact comes back (with a new id).
        let restored = try client.result("contacts.undo", ["contactId": .string(deleted)])
        #expect(restored["contact"]?["info"]?["name"]?["first"] == "Deleted")
        #expect(restored["contact"]?["id"] != .string(deleted))
    }

    @Test(arguments: [Backend.local, .wix])
    func everyEntryCarriesItsRunAndARunIsUndoneWhole(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let runId = try #require(client.result("gateway.status")["runId"]?.stringValue)
        // 1,000 changes over 200 contacts locally; fewer through the REST client, which keeps to
        // Wix's rate limit.
        let contacts = backend == .local ? 200 : 8
        let rounds = backend == .local ? 5 : 3
        var ids: [String] = []
        for index in 0..<contacts {
            ids.append(try client.createContact(["name": ["first": .string("R\(index)")], "company": "C0"]))
        }
        for round in 1..<rounds {
            for id in ids {
                _ = try client.result(
                    "contacts.forceUpdate", ["contactId": .string(id), "info": ["company": .string("C\(round)")]])
            }
        }
        let runs = try client.result("audit.runs")["runs"]
        #expect(runs?[0]?["runId"] == .string(runId))
        #expect(runs?[0]?["changes"] == .int(contacts * rounds))
        let entry = try client.result("audit.history", ["limit": 1])["entries"]?[0]
        #expect(entry?["runId"] == .string(runId))
        #expect(entry?["requestId"]?.stringValue != nil)

        // Someone else changes two of the contacts afterwards (another gateway process on the same
        // file; on Wix, the dashboard): a strict undo of the run lists both conflicts and writes
        // nothing.
        if backend == .local {
            let other = try GatewayProcess.serve(in: client.sandbox)
            for (index, id) in ids[0...1].enumerated() {
                try other.send(
                    .object([
                        "jsonrpc": "2.0", "id": .int(index), "method": "contacts.forceUpdate",
                        "params": ["contactId": .string(id), "info": ["company": "Later"]],
                    ]))
            }
            #expect(try other.nextMessages(2).allSatisfy { $0["result"] != nil })
            _ = try other.finish()
        } else {
            for id in ids[0...1] {
                let revision = try client.result("contacts.get", ["contactId": .string(id)])["contact"]?["revision"]
                _ = try client.outside(
                    "PATCH", "contacts/\(id)", ["info": ["company": "Later"], "revision": revision ?? 0])
            }
        }
        let refused = try client.error("contacts.undo", ["runId": .string(runId)])
        #expect(refused["data"]?["applicationCode"] == "UNDO_CONFLICT")
        let conflicts = refused["data"]?["conflicts"]?.arrayValue ?? []
        #expect(Set(conflicts.compactMap { $0["contactId"]?.stringValue }) == Set(ids[0...1]))
        #expect(conflicts.allSatisfy { $0["current"] == "Later" })
        #expect(
            try client.result("contacts.query", ["filter": ["info.company": .string("C\(rounds - 1)")]])[
                "pagingMetadata"]?["total"] == .int(contacts - 2))

        if backend == .local {
            // From the command line, beside the serving process: `undo --run RUN_ID --force`.
            let cli = try GatewayProcess(
                arguments: ["undo", "--run", runId, "--force", "--db", client.sandbox.databasePath])
            let termination = try cli.finish(timeout: 120)
            #expect(termination.exitCode == 0)
            #expect(cli.stdout.text.contains("Undid \(contacts * rounds) entries of run \(runId)"))
        } else {
            let forced = try client.result("contacts.undo", ["runId": .string(runId), "mode": "force"])
            #expect(forced["reverted"]?.arrayValue?.count == contacts * rounds)
        }
        #expect(
            try client.result("contacts.query", ["filter": [:], "paging": ["limit": 1]])["pagingMetadata"]?["total"]
                == 0)
    }

    @Test func verifyPassesOnAnIntactLogAndFindsEachKindOfTampering() throws {
        let sandbox: Sandbox
        do {
            let client = try GatewayClient()
            for index in 0..<6 { _ = try client.createContact(["name": ["first": .string("V\(index)")]]) }
            let id = try client.createContact(["name": ["first": "Edited"], "company": "A"])
            try client.update(id, ["company": "B"])
            #expect(try client.result("audit.verify")["ok"] == true)
            #expect(try client.result("audit.verify")["entries"] == 8)
            sandbox = client.sandbox
            _ = try client.finish()
        }
        let db = sandbox.databasePath
        func verify() throws -> (exitCode: Int32?, stderr: String) {
            let process = try GatewayProcess(arguments: ["verify", "--db", db])
            let termination = try process.finish()
            return (termination.exitCode, process.stderr.text)
        }
        #expect(try verify().exitCode == 0)
        let pristine = try Data(contentsOf: URL(fileURLWithPath: db))
        func tamper(_ sql: String) throws {
            try pristine.write(to: URL(fileURLWithPath: db))
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            process.arguments = [db, sql]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        /// Tampers with the pristine log by `sql`; `verify` must fail and name entry `auditId`.
        func expectTampered(_ sql: String, foundAt auditId: Int, sourceLocation: SourceLocation = #_sourceLocation)
            throws
        {
            try tamper(sql)
            let result = try verify()
            #expect(result.exitCode == 6, sourceLocation: sourceLocation)
            #expect(result.stderr.contains("audit \(auditId)"), "\(result.stderr)", sourceLocation: sourceLocation)
        }
        // Entry 7's `after`, which entry 8 stores as its `before` (each JSON is stored once,
        // packed as the contact's row held it, so a hand edit writes JSON as is).
        try expectTampered(
            "UPDATE audit_entry SET before_json = CAST('{\"company\":\"Z\"}' AS BLOB) WHERE audit_id = 8", foundAt: 7)
        // The latest `after`, which the contact's row holds (packed, so a hand edit writes JSON as
        // is): an edit that gets past the triggers that would keep the recorded one is found at
        // entry 8.
        let edit = "UPDATE contact SET json = CAST('{\"company\":\"Z\"}' AS BLOB) WHERE revision = 2"
        try expectTampered("DROP TRIGGER audit_after_kept_on_contact_update; \(edit)", foundAt: 8)
        // With the triggers, an edit of the row is a change outside the log: entry 8 keeps what it
        // recorded, and the log verifies.
        try tamper(edit)
        #expect(try verify().exitCode == 0)
        try expectTampered("DELETE FROM audit_entry WHERE audit_id = 3", foundAt: 4)
        try expectTampered(
            "UPDATE audit_entry SET chain_seq = CASE chain_seq WHEN 2 THEN -1 ELSE chain_seq END WHERE chain_seq IN (2, 5); UPDATE audit_entry SET chain_seq = 2 WHERE chain_seq = 5; UPDATE audit_entry SET chain_seq = 5 WHERE chain_seq = -1",
            foundAt: 5)
    }
}
