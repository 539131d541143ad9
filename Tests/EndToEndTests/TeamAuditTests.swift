import ContactStore
import Foundation
import JSONCore
import PostgresCluster
import Testing
import WixContacts
import WixEmulator

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
        var configuration = EmulatorConfiguration(apiKey: "team-key", siteID: "team-site")
        configuration.logger.logLevel = .critical
        let running = try await WixEmulator.start(configuration: configuration)
        defer { Task { await running.stop() } }
        var contacts: [String] = []
        for index in 0..<3 {
            contacts.append(
                try await running.emulator.store.create(
                    patch: ContactInfoPatch(json: ["name": ["first": .string("Team\(index)")]])
                ).after.id)
        }
        let site = running.baseURL
        let contactIds = contacts
        try await offPool {
            let members = try (0..<4).map { _ in try member(site: site, auditURL: auditURL) }

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
                let ids = entries.compactMap { $0["auditId"]?.intValue }
                #expect(Set(ids) == acknowledged[contactId], "0 lost, 0 phantom entries")
                let chain = entries.sorted { ($0["auditId"]?.intValue ?? 0) < ($1["auditId"]?.intValue ?? 0) }
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
        }

        // SIGKILL mid-change: the PATCH waits inside the site while the gateway dies; another
        // gateway settles the intent after its lease, from what the site holds.
        await running.emulator.faults.add(FaultRule(kind: .latency, latencyMs: 800, count: 1, methods: ["PATCH"]))
        let patchesBefore = await running.emulator.requests.count("PATCH /contacts/v4/contacts/{id}")
        let (victim, survivor) = try await offPool { () -> (Member, Member) in
            let victim = try member(site: site, auditURL: auditURL)
            let survivor = try member(site: site, auditURL: auditURL)
            try victim.process.send(
                requestLine(
                    "contacts.forceUpdate", id: 1,
                    params: ["contactId": .string(contactIds[1]), "info": ["jobTitle": "orphan"]]))
            return (victim, survivor)
        }
        try await waitUntil(timeout: 30) {
            await running.emulator.requests.count("PATCH /contacts/v4/contacts/{id}") > patchesBefore
        }
        victim.process.deliver(signal: SIGKILL)
        _ = try await offPool { try victim.process.waitForExit(timeout: 10) }
        try await waitUntil(timeout: 60) {
            (try? await cluster.psql(database: database, "SELECT count(*) FROM audit_entry WHERE state = 'intent'")) == "0\n"
        }
        let site1 = try await running.emulator.store.snapshot(id: contactIds[1])
        let history = try await offPool { () -> JSONValue in
            try survivor.process.send(
                requestLine("audit.history", id: 2, params: ["contactId": .string(contactIds[1]), "limit": 1]))
            return try survivor.process.nextMessage(timeout: 30)
        }
        let latest = history["result"]?["entries"]?[0]
        #expect(latest?["revisionAfter"]?.intValue == site1.revision, "the history ends where the site is")
        _ = try? await offPool { try survivor.process.finish() }
    }

    private func waitUntil(timeout: Double, _ condition: () async -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while await !condition() {
            guard Date() < deadline else { throw GatewayTestError("condition not met within \(timeout) s") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
