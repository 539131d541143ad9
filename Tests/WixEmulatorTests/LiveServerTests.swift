import ContactStore
import Foundation
import Hummingbird
import HummingbirdTesting
import JSONCore
import Testing
import WixContacts
import WixEmulator

/// The emulator on a real socket: a round trip, a dropped response, and the in-process `start()`.
@Suite struct LiveServerTests {
    @Test func createReadAndUpdateOverARealConnection() async throws {
        try await EmulatorHarness.with { h in
            try await h.test(.live) { client in
                let created = try await client.call(
                    .post, "/contacts/v4/contacts", json: ["info": ["name": ["first": "Ada"]]])
                let id = try #require(created.json["contact"]?["id"]?.stringValue)
                let updated = try await client.call(
                    .patch, "/contacts/v4/contacts/\(id)", json: ["info": ["jobTitle": "Engineer"], "revision": 1])
                #expect(updated.json["contact"]?["revision"]?.intValue == 2)
                let read = try await client.call(.get, "/contacts/v4/contacts/\(id)")
                #expect(read.json["contact"]?["info"]?["jobTitle"]?.stringValue == "Engineer")
            }
        }
    }

    @Test func droppedPatchAfterApplyingLosesOnlyTheAnswer() async throws {
        try await EmulatorHarness.with { h in
            let id = try await h.seed(["name": ["first": "Ada"]])
            await h.emulator.faults.add(FaultRule(kind: .drop, count: 1, methods: ["PATCH"], after: true))
            try await h.test(.live) { client in
                await #expect(throws: (any Error).self) {
                    _ = try await client.call(
                        .patch, "/contacts/v4/contacts/\(id)", json: ["info": ["company": "Wix"], "revision": 1])
                }
            }
            // The change was made: a read settles the outcome.
            let stored = try await h.store.snapshot(id: id)
            #expect(stored.revision == 2)
            #expect(try stored.contact().info.company == "Wix")
            #expect(await h.emulator.requests.count("PATCH /contacts/v4/contacts/{id}") == 1)
        }
    }

    @Test func droppedPatchBeforeApplyingChangesNothing() async throws {
        try await EmulatorHarness.with { h in
            let id = try await h.seed(["name": ["first": "Ada"]])
            await h.emulator.faults.add(FaultRule(kind: .drop, count: 1))
            try await h.test(.live) { client in
                await #expect(throws: (any Error).self) {
                    _ = try await client.call(
                        .patch, "/contacts/v4/contacts/\(id)", json: ["info": ["company": "Wix"], "revision": 1])
                }
            }
            #expect(try await h.store.snapshot(id: id).revision == 1)
        }
    }

    @Test func startServesOnALoopbackPortUntilStopped() async throws {
        let running = try await WixEmulator.start(configuration: EmulatorConfiguration(apiKey: "k"))
        #expect(running.port > 0)
        #expect(running.baseURL.absoluteString == "http://127.0.0.1:\(running.port)")
        let id = try await running.emulator.store.create(patch: ContactInfoPatch(json: ["name": ["first": "Ada"]]))
            .after.id
        let reply = try await LoopbackHTTP.get(
            port: running.port, path: "/contacts/v4/contacts/\(id)", authorization: "k")
        #expect(reply.status == 200)
        #expect(reply.body.contains(#""first":"Ada""#))
        await running.stop()
        await #expect(throws: (any Error).self) {
            _ = try await LoopbackHTTP.get(port: running.port, path: "/", authorization: "k")
        }
    }
}
