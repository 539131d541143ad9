import ContactsGateway
import ContactStore
import Foundation
import GRDB
import JSONCore
import JSONRPC
import Testing
import WixContacts

/// Two backends on one file, as two gateway processes would be: each plans updates from the
/// contact as it last saw it, so these prove a stale view never wins.
@Suite struct SharedFileTests {
    /// A test gateway, and a second gateway with its own backend on the same file.
    static func twoGatewaysOnOneFile() throws -> (TestGateway, ContactsGateway) {
        let first = try TestGateway()
        let second = try LocalBackend(
            path: first.directory.appendingPathComponent("contacts.sqlite").path, configuration: StoreConfiguration())
        return (first, ContactsGateway(backend: second, defaultActor: "other"))
    }

    @Test func updatesPlannedFromAStaleCacheArePlannedAgainFromTheStore() async throws {
        let (first, other) = try Self.twoGatewaysOnOneFile()
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

    /// Two gateways and a change around the log on one file: each entry stores its `before` and
    /// leaves its `after` to the next entry or the row, whichever gateway wrote it; the change
    /// around the log makes the triggers keep the `after` it moved past in its entry. Every
    /// entry's `before` reads back as the previous entry's `after`, but after that change.
    @Test func eachEntrysBeforeIsThePreviousEntrysAfter() async throws {
        let (first, other) = try Self.twoGatewaysOnOneFile()
        let id = try await first.createContact(first: "Ada")
        for revision in 1...3 {
            _ = try await first.call(
                "contacts.update",
                ["contactId": .string(id), "revision": .int(revision), "info": ["company": .string("C\(revision)")]])
        }
        _ = try await other.handle(
            RPCRequest(
                id: .int(1), method: "contacts.update",
                params: ["contactId": .string(id), "revision": 4, "info": ["jobTitle": "Engineer"]]))
        _ = try await first.call("contacts.forceUpdate", ["contactId": .string(id), "info": ["company": "Acme"]])
        // Straight through a store of its own on the file (as the emulator writes): a change the
        // log never sees; the next before differs.
        let around = try ContactStore(path: first.directory.appendingPathComponent("contacts.sqlite").path)
        _ = try await around.update(id: id, patch: try ContactInfoPatch(json: ["jobTitle": "Unlogged"]), revision: 6)
        _ = try await first.call(
            "contacts.update", ["contactId": .string(id), "revision": 7, "info": ["company": "Beta"]])

        let rows = try await first.backend.store.database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT audit_id, revision_before, revision_after, before_json IS NOT NULL AS stored_before,
                        after_json IS NOT NULL AS stored_after
                    FROM audit_entry WHERE contact_id = ? ORDER BY audit_id
                    """,
                arguments: [id])
        }
        #expect(rows.map { $0["revision_after"] as Int } == [1, 2, 3, 4, 5, 6, 8])
        // The create stores nothing; every later entry its before; only the after that the
        // unlogged change moved past is stored, by the triggers.
        #expect(rows.map { $0["stored_before"] as Bool } == [false, true, true, true, true, true, true])
        #expect(rows.map { $0["stored_after"] as Bool } == [false, false, false, false, false, true, false])
        var previousAfter: [UInt8]?
        var checked = 0
        for row in rows.dropLast() {
            let entry = try await first.backend.audit.entry(id: row["audit_id"])
            if let previousAfter {
                #expect(entry.before?.bytes == previousAfter)
                checked += 1
            }
            #expect(entry.after != nil)
            previousAfter = entry.after?.bytes
        }
        #expect(checked == 5)
        let last = try await first.backend.audit.entry(id: rows.last?["audit_id"] ?? 0)
        #expect(try last.beforeContact()?.info.jobTitle == "Unlogged")
    }
}
