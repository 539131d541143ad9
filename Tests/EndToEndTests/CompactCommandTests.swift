import CompactJSON
import Foundation
import GRDB
import JSONCore
import Testing

/// `contacts-gateway compact` on a file whose contacts were written as is (by hand, an import):
/// it packs them without changing what they say, what the audit log recorded, or its chain.
@Suite(.timeLimit(.minutes(2)))
struct CompactCommandTests {
    /// Counts the contact rows whose JSON is packed.
    static let packedRows = "SELECT count(*) FROM contact WHERE substr(json, 1, 1) = x'03'"

    /// The single number `sql` answers in `queue`'s file.
    static func count(_ queue: DatabaseQueue, _ sql: String) throws -> Int? {
        try queue.read { db in try Int.fetchOne(db, sql: sql) }
    }

    @Test func compactPacksContactsStoredAsIsAndChangesNothingTheyOrTheLogSay() throws {
        let sandbox: Sandbox
        var answered: [String: JSONValue] = [:]
        do {
            let client = try GatewayClient()
            for index in 0..<30 {
                let id = try client.createContact([
                    "name": ["first": .string("P\(index)"), "last": "Packer"], "company": "Acme",
                    "emails": ["items": [["email": .string("p\(index)@example.com")]]],
                ])
                if index % 3 == 0 { try client.update(id, ["jobTitle": "Engineer"]) }
                answered[id] = try client.result("contacts.get", ["contactId": .string(id)])["contact"]
            }
            sandbox = client.sandbox
            _ = try client.finish()
        }
        let db = sandbox.databasePath
        // Every row's JSON written as is, by hand. The triggers that keep a row's JSON for the
        // audit log would copy it into the entries: the hand edit goes around them.
        let queue = try DatabaseQueue(path: db)
        try queue.write { db in
            try db.execute(
                sql: "DROP TRIGGER audit_after_kept_on_contact_update; DROP TRIGGER audit_after_kept_on_contact_delete")
            for row in try Row.fetchAll(db, sql: "SELECT rowid, json FROM contact") {
                let json = try CompactJSON.unpack(Array(row[1] as Data))
                try db.execute(
                    sql: "UPDATE contact SET json = ? WHERE rowid = ?", arguments: [Data(json), row[0] as Int64])
            }
        }
        let aftersBefore = try Self.count(queue, "SELECT count(after_json) FROM audit_entry")
        #expect(try Self.count(queue, Self.packedRows) == 0)
        try queue.close()

        let compact = try GatewayProcess(arguments: ["compact", "--vacuum", "--db", db])
        let termination = try compact.finish(timeout: 60)
        #expect(termination.exitCode == 0, "\(compact.stderr.text)")
        #expect(compact.stdout.text.contains("Packed 30 of 30 contacts"), "\(compact.stdout.text)")
        #expect(compact.stdout.text.contains("Vacuumed: the file went from"), "\(compact.stdout.text)")

        let reopened = try DatabaseQueue(path: db)
        #expect(try Self.count(reopened, Self.packedRows) == 30)
        // No entry took a copy of a row's JSON, and the triggers are back.
        #expect(try Self.count(reopened, "SELECT count(after_json) FROM audit_entry") == aftersBefore)
        #expect(
            try Self.count(
                reopened, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_after_kept_%'"
            )
                == 2)
        try reopened.close()

        // What the contacts say, their history and the chain are as they were.
        let verify = try GatewayProcess(arguments: ["verify", "--db", db])
        #expect(try verify.finish().exitCode == 0, "\(verify.stderr.text)")
        let client = try GatewayClient(reopening: sandbox)
        for (id, contact) in answered {
            #expect(try client.result("contacts.get", ["contactId": .string(id)])["contact"] == contact)
        }
        let history = try client.result("audit.history", ["contactId": .string(answered.keys.first!), "limit": 10])
        #expect(history["entries"]?.arrayValue?.allSatisfy { $0["after"]?.objectValue != nil } == true)
        // A second run finds nothing left to pack.
        _ = try client.finish()
        let again = try GatewayProcess(arguments: ["compact", "--db", db])
        #expect(try again.finish(timeout: 60).exitCode == 0)
        #expect(again.stdout.text.contains("Packed 0 of 30 contacts"), "\(again.stdout.text)")
    }
}
