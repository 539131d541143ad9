import ContactStore
import Foundation
import JSONCore
import PostgresCluster
import Testing
import WixContacts

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 19's team: one Wix site (the emulator), four gateways as if on four machines (separate
/// processes, separate local files), one PostgreSQL audit log. Their pipelined forceUpdates at
/// the same contacts leave one entry per acknowledged change and none other, one revision chain
/// per contact; an undo on one gateway reverts another's change; and a gateway killed mid-change
/// has its intent settled by another once its lease expires.
@Suite(.serialized) struct TeamAuditTests {
    static let lease = "3"

    /// A team member: a gateway process with its own sandbox.
    struct Member {
        let sandbox: Sandbox
        let process: GatewayProcess
    }

    func member(site: URL, auditURL: String) throws -> Member {
        let sandbox = try Sandbox()
        let process = try GatewayProcess(
            arguments: ["--db", sandbox.databasePath, "--backend", "wix", "--audit-url", auditURL],
            environment: [
                "WIX_API_KEY": "team-key", "WIX_SITE_ID": "team-site", "WIX_BASE_URL": site.absoluteString,
                "WIX_REQUESTS_PER_MINUTE": "1000000", "CONTACTS_GATEWAY_AUDIT_LEASE": Self.lease,
            ])
        return Member(sandbox: sandbox, process: process)
    }

    @Test func fourGatewaysShareOneChainPerContact() async throws {
        let cluster = try await ThrowawayCluster.shared()
        let auditURL = try await cluster.createDatabase()
        let database = ThrowawayCluster.databaseName(auditURL)
        try await offPool {
            // The site: a wix-emulator process, as the gateways' Wix.
            let siteSandbox = try Sandbox()
            let emulator = try GatewayProcess(
                executable: "wix-emulator",
                arguments: [
                    "--api-key", "team-key", "--site-id", "team-site", "--log-level", "error",
                    "--db", siteSandbox.url.appendingPathComponent("site.sqlite").path,
                ])
            let site = try #require(URL(string: try emulator.stdout.nextLine(timeout: 30)))
            let members = try (0..<4).map { _ in try member(site: site, auditURL: auditURL) }
            var contactIds: [String] = []
            for index in 0..<3 {
                try members[0].process.send(
                    requestLine(
                        "contacts.create", id: .int(900 + index), params: ["info": ["name": ["first": .string("Team\(index)")]]]))
                let created = try members[0].process.nextMessage(timeout: 30)
                contactIds.append(try #require(created["result"]?["contact"]?["id"]?.stringValue, "\(created)"))
            }

            // Pipelined: each gateway gets all its requests at once, then answers come.
            let perMember = 24
            for (m, member) in members.enumerated() {
                for n in 0..<perMember {
                    try member.process.send(
                        requestLine(
                            "contacts.forceUpdate", id: .int(n + 1),
                            params: [
                                "contactId": .string(contactIds[n % contactIds.count]), "maxAttempts": 10,
                                "info": ["jobTitle": .string("g\(m)-\(n)")],
                            ]))
                }
            }
            var acknowledged: [String: Set<Int>] = [:]
            for member in members {
                for response in try member.process.nextMessages(perMember, timeout: 120) {
                    guard let result = response["result"], let auditId = result["auditId"]?.intValue,
                        let contactId = result["contact"]?["id"]?.stringValue
                    else {
                        throw GatewayTestError("a forceUpdate failed: \(response)")
                    }
                    acknowledged[contactId, default: []].insert(auditId)
                }
            }

            // One chain per contact, holding exactly the acknowledged changes.
            let reader = members[3].process
            for (index, contactId) in contactIds.enumerated() {
                try reader.send(
                    requestLine("audit.history", id: .int(1000 + index), params: ["contactId": .string(contactId), "limit": 1000, "order": "asc"]))
                let entries = try reader.nextMessage(timeout: 30)["result"]?["entries"]?.arrayValue ?? []
                let chain = entries.filter { $0["operation"] != "create" }
                    .sorted { ($0["auditId"]?.intValue ?? 0) < ($1["auditId"]?.intValue ?? 0) }
                let ids = chain.compactMap { $0["auditId"]?.intValue }
                #expect(Set(ids) == acknowledged[contactId], "0 lost, 0 phantom entries")
                #expect(chain.first?["revisionBefore"]?.intValue == 1)
                for (earlier, later) in zip(chain, chain.dropFirst()) {
                    #expect(later["revisionBefore"] == earlier["revisionAfter"], "one revision chain")
                }
            }

            // Gateway B undoes a change gateway A made.
            try members[0].process.send(
                requestLine(
                    "contacts.forceUpdate", id: 500,
                    params: ["contactId": .string(contactIds[0]), "info": ["jobTitle": "by A"]]))
            let change = try members[0].process.nextMessage(timeout: 30)
            let changeId = try #require(change["result"]?["auditId"]?.intValue, "\(change)")
            try members[1].process.send(requestLine("contacts.undo", id: 501, params: ["auditId": .int(changeId)]))
            let undo = try members[1].process.nextMessage(timeout: 30)
            #expect(undo["result"] != nil, "\(undo)")
            #expect(undo["result"]?["contact"]?["info"]?["jobTitle"] != "by A")
            try members[2].process.send(requestLine("audit.get", id: 502, params: ["auditId": .int(changeId)]))
            #expect(try members[2].process.nextMessage(timeout: 30)["result"]?["entry"]?["undoneBy"] != nil)

            for member in members { try member.process.finish() }

            // SIGKILL mid-change: the PATCH waits inside the site while the gateway dies; another
            // gateway settles the intent after its lease, from what the site holds.
            try Self.control(site, "POST", "/_emulator/faults", #"{"kind":"latency","latencyMs":800,"count":1,"methods":["PATCH"]}"#)
            let patchesBefore = try Self.patchCount(site)
            let victim = try member(site: site, auditURL: auditURL)
            let survivor = try member(site: site, auditURL: auditURL)
            try victim.process.send(
                requestLine(
                    "contacts.forceUpdate", id: 1,
                    params: ["contactId": .string(contactIds[1]), "info": ["jobTitle": "orphan"]]))
            try Self.waitUntil(timeout: 30) { try Self.patchCount(site) > patchesBefore }
            victim.process.deliver(signal: SIGKILL)
            _ = try victim.process.waitForExit(timeout: 10)
            try Self.waitUntil(timeout: 60) {
                try cluster.psql(database: database, "SELECT count(*) FROM audit_entry WHERE state = 'intent'") == "0\n"
            }
            try survivor.process.send(
                requestLine("audit.history", id: 2, params: ["contactId": .string(contactIds[1]), "limit": 1]))
            let latest = try survivor.process.nextMessage(timeout: 30)["result"]?["entries"]?[0]
            try survivor.process.send(requestLine("contacts.get", id: 3, params: ["contactId": .string(contactIds[1])]))
            let current = try survivor.process.nextMessage(timeout: 30)["result"]?["contact"]?["revision"]?.intValue
            #expect(latest?["revisionAfter"]?.intValue == current, "the history ends where the site is")
            _ = try? survivor.process.finish()
            emulator.deliver(signal: SIGTERM)
            _ = try? emulator.waitForExit(timeout: 10)
        }
    }

    /// Calls the emulator's control surface with curl; returns the body.
    @discardableResult
    static func control(_ site: URL, _ method: String, _ path: String, _ body: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments =
            ["-sS", "--max-time", "10", "-X", method, site.absoluteString + path]
            + (body.map { ["-H", "Content-Type: application/json", "--data", $0] } ?? [])
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw GatewayTestError("curl \(method) \(path) failed") }
        return String(decoding: data, as: UTF8.self)
    }

    /// PATCHes the site has received.
    static func patchCount(_ site: URL) throws -> Int {
        let counts = try JSONValue.parse(try control(site, "GET", "/_emulator/requests"))
        return counts["PATCH /contacts/v4/contacts/{id}"]?.intValue ?? 0
    }

    static func waitUntil(timeout: Double, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try !condition() {
            guard Date() < deadline else { throw GatewayTestError("condition not met within \(timeout) s") }
            usleep(20_000)
        }
    }
}
