import ContactsGateway
import ContactStore
import Foundation
import JSONCore
import JSONRPC
import Testing

/// Two backends on one file, as two gateway processes would be: each plans updates from the
/// contact as it last saw it, so these prove a stale view never wins.
@Suite struct SharedFileTests {
    @Test func updatesPlannedFromAStaleCacheArePlannedAgainFromTheStore() async throws {
        let first = try TestGateway()
        let second = try LocalBackend(
            path: first.directory.appendingPathComponent("contacts.sqlite").path, configuration: StoreConfiguration())
        let other = ContactsGateway(backend: second, defaultActor: "other")
        let id = try await first.createContact(first: "Ada")
        _ = try await first.call(
            "contacts.update", ["contactId": .string(id), "revision": 1, "info": ["company": "Wix"]])
        // The first backend now holds revision 2 in its cache; the other moves the contact on.
        let moved = try await other.handle(
            RPCRequest(
                id: .int(1), method: "contacts.update",
                params: ["contactId": .string(id), "revision": 2, "info": ["jobTitle": "Engineer"]])
        ).resolvingRaw()
        #expect(moved["contact"]?["revision"]?.intValue == 3)

        // A force update through the stale backend keeps the other's change.
        let forced = try await first.call(
            "contacts.forceUpdate", ["contactId": .string(id), "info": ["company": "Acme"]])
        #expect(forced["contact"]?["revision"]?.intValue == 4)
        #expect(forced["contact"]?["info"]?["jobTitle"]?.stringValue == "Engineer")
        #expect(forced["contact"]?["info"]?["company"]?.stringValue == "Acme")

        // An update at a revision the stale backend never saw succeeds on what is stored ...
        let updated = try await first.call(
            "contacts.update", ["contactId": .string(id), "revision": 4, "info": ["company": "Beta"]])
        #expect(updated["contact"]?["revision"]?.intValue == 5)
        #expect(updated["contact"]?["info"]?["jobTitle"]?.stringValue == "Engineer")
        // ... and one at the revision it cached last is refused with the stored revision.
        _ = try await other.handle(
            RPCRequest(
                id: .int(2), method: "contacts.update",
                params: ["contactId": .string(id), "revision": 5, "info": ["jobTitle": "CTO"]]))
        let refused = await first.failure(
            "contacts.update", ["contactId": .string(id), "revision": 5, "info": ["company": "Gamma"]])
        #expect(refused?.data?["applicationCode"]?.stringValue == "CONTACT_ALREADY_CHANGED")
        #expect(refused?.data?["currentRevision"]?.intValue == 6)
        let stored = try await first.call("contacts.get", ["contactId": .string(id)])
        #expect(stored["contact"]?["info"]?["jobTitle"]?.stringValue == "CTO")
        #expect(stored["contact"]?["info"]?["company"]?.stringValue == "Beta")
    }
}
