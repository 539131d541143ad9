import ContactStore
import Foundation
import JSONCore
import Testing
import WixContacts
import WixEmulator

#if canImport(Glibc)
    import Glibc
#endif

/// The `wix` backend's intent protocol with real processes: the gateway is SIGKILLed while its
/// PATCH is inside the emulator; the next start settles the intent from the contact, so the
/// audit neither loses the change nor invents one.
@Suite(.serialized) struct WixCrashTests {
    @Test func gatewayKilledBetweenPatchAndSettleLosesAndInventsNothing() async throws {
        var configuration = EmulatorConfiguration(apiKey: "key-1", siteID: "site-1")
        configuration.logger.logLevel = .critical
        let running = try await WixEmulator.start(configuration: configuration)
        defer { Task { await running.stop() } }
        let contactId = try await running.emulator.store.create(patch: ContactInfoPatch(json: ["name": ["first": "W"]]))
            .after.id
        // The PATCH waits inside the emulator long enough for the kill to land first.
        await running.emulator.faults.add(FaultRule(kind: .latency, latencyMs: 600, count: 1, methods: ["PATCH"]))

        let sandbox = try Sandbox()
        let environment = [
            "WIX_API_KEY": "key-1", "WIX_SITE_ID": "site-1", "WIX_BASE_URL": running.baseURL.absoluteString,
        ]
        let gateway = try GatewayProcess(
            arguments: ["--db", sandbox.databasePath, "--backend", "wix"], environment: environment)
        try gateway.send(
            requestLine(
                "contacts.update", id: 1,
                params: ["contactId": .string(contactId), "revision": 1, "info": ["company": "Wix"]]))
        try await waitUntil { await running.emulator.requests.count("PATCH /contacts/v4/contacts/{id}") == 1 }
        gateway.deliver(signal: SIGKILL)
        _ = try gateway.waitForExit(timeout: 10)
        // Whether the PATCH still lands after its client died is the server's business; both
        // outcomes must be recorded truthfully.
        try? await waitUntil(timeout: 3) { (try? await running.emulator.store.snapshot(id: contactId).revision) == 2 }
        let storedRevision = try await running.emulator.store.snapshot(id: contactId).revision
        print("wix crash test: the PATCH \(storedRevision == 2 ? "landed" : "did not land") after the kill")

        let restarted = try GatewayProcess(
            arguments: ["--db", sandbox.databasePath, "--backend", "wix"], environment: environment)
        try restarted.send(requestLine("audit.history", id: 2, params: ["contactId": .string(contactId)]))
        let history = try restarted.nextMessage(timeout: 30)
        let entries = history["result"]?["entries"]?.arrayValue ?? []
        if storedRevision == 2 {
            #expect(entries.count == 1)
            #expect(entries.first?["revisionBefore"] == 1)
            #expect(entries.first?["revisionAfter"] == 2)
            #expect(entries.first?["changedFields"] == ["info.company"])
            #expect(entries.first?["after"]?["info"]?["company"] == "Wix")
        } else {
            #expect(entries.isEmpty, "no entry for a change that never happened")
        }
        try restarted.send(requestLine("gateway.status", id: 3))
        #expect(try restarted.nextMessage(timeout: 30)["result"]?["auditEntries"]?.intValue == entries.count)
        #expect(try restarted.finish(timeout: 30) == GatewayProcess.Termination(exitCode: 0, signal: nil))
        await running.stop()
    }

    /// The same for a create, whose contact id is not known until Wix answers: the next start
    /// looks for the contact the create may have made, and records it or drops the intent.
    @Test func gatewayKilledBetweenCreateAndSettleLosesAndInventsNothing() async throws {
        var configuration = EmulatorConfiguration(apiKey: "key-1", siteID: "site-1")
        configuration.logger.logLevel = .critical
        let running = try await WixEmulator.start(configuration: configuration)
        defer { Task { await running.stop() } }
        await running.emulator.faults.add(
            FaultRule(kind: .latency, latencyMs: 600, count: 1, methods: ["POST"], pathPrefix: "/contacts/v4/contacts"))

        let sandbox = try Sandbox()
        let environment = [
            "WIX_API_KEY": "key-1", "WIX_SITE_ID": "site-1", "WIX_BASE_URL": running.baseURL.absoluteString,
        ]
        let gateway = try GatewayProcess(
            arguments: ["--db", sandbox.databasePath, "--backend", "wix"], environment: environment)
        let info: JSONValue = ["name": ["first": "Killed"], "emails": ["items": [["email": "killed@e2e.test"]]]]
        try gateway.send(requestLine("contacts.create", id: 1, params: ["info": info]))
        try await waitUntil { await running.emulator.requests.count("POST /contacts/v4/contacts") == 1 }
        gateway.deliver(signal: SIGKILL)
        _ = try gateway.waitForExit(timeout: 10)
        try? await waitUntil(timeout: 3) { (try? await running.emulator.store.count()) == 1 }
        let created = try await running.emulator.store.count()
        print("wix crash test: the create \(created == 1 ? "landed" : "did not land") after the kill")

        let restarted = try GatewayProcess(
            arguments: ["--db", sandbox.databasePath, "--backend", "wix"], environment: environment)
        try restarted.send(requestLine("audit.history", id: 2))
        let entries = try restarted.nextMessage(timeout: 30)["result"]?["entries"]?.arrayValue ?? []
        #expect(entries.count == created, "one entry for a contact that was made, none otherwise")
        if created == 1 {
            let page = try await running.emulator.store.query(ContactQuery())
            #expect(entries.first?["operation"] == "create")
            #expect(entries.first?["contactId"]?.stringValue == page.contacts.first?.id)
            #expect(entries.first?["after"]?["info"]?["name"]?["first"] == "Killed")
        }
        #expect(try restarted.finish(timeout: 30) == GatewayProcess.Termination(exitCode: 0, signal: nil))
        await running.stop()
    }

    private func waitUntil(timeout: Double = 10, _ condition: () async -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while await !condition() {
            guard Date() < deadline else { throw GatewayTestError("condition not met within \(timeout) s") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
