import Foundation
import JSONCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SPEC §6 under SIGKILL and under two writers: every acknowledged change has its entry, every
/// entry's `after` is the stored contact at that revision, revisions form gap-free chains, and
/// no entry claims a change that is not in the store.
@Suite(.serialized) struct CrashConsistencyTests {
    private let exitedCleanly = GatewayProcess.Termination(exitCode: 0, signal: nil)

    /// One acknowledged change: what the gateway answered before it died.
    struct Ack: Hashable { var auditId: Int; var contactId: String; var revision: Int }

    @Test func killedFiftyTimesMidStreamTheAuditAndTheStoreAgree() throws {
        let sandbox = try Sandbox()
        let contacts = try seedContacts(in: sandbox, count: 8)
        var acknowledged: [Ack] = []
        var generator = SystemRandomNumberGenerator()
        var cutMidStream = 0
        for round in 0..<50 {
            let before = acknowledged.count
            let gateway = try GatewayProcess.serve(in: sandbox)
            var input = ""
            for index in 0..<300 {
                let contactId = contacts[(round + index) % contacts.count]
                input +=
                    requestLine(
                        "contacts.forceUpdate", id: .int(index),
                        params: ["contactId": .string(contactId), "info": ["jobTitle": .string("r\(round)-\(index)")]])
                    + "\n"
            }
            try gateway.write(Array(input.utf8), timeout: 10)
            // Wait for the first answer (the gateway has started and is committing, however loaded
            // the machine), then read for a random moment and kill: the batch is cut somewhere
            // mid-commit. The moment is short: a quiet machine answers all 300 within milliseconds.
            if let first = try? gateway.stdout.nextLine(timeout: 20), let ack = Self.ack(first) {
                acknowledged.append(ack)
            }
            let end = Date().addingTimeInterval(Double.random(in: 0...0.008, using: &generator))
            while let line = try? gateway.stdout.nextLine(timeout: max(0.001, end.timeIntervalSinceNow)) {
                if let ack = Self.ack(line) { acknowledged.append(ack) }
                if Date() >= end { break }
            }
            gateway.deliver(signal: SIGKILL)
            _ = try gateway.waitForExit(timeout: 10)
            // Lines already in the pipe were written before the kill: they are acknowledgements too.
            for line in gateway.stdout.remainingLines() {
                if let ack = Self.ack(line) { acknowledged.append(ack) }
            }
            if (1..<300).contains(acknowledged.count - before) { cutMidStream += 1 }
        }
        // Some rounds die before the first answer, some after the last; most are cut mid-stream.
        #expect(cutMidStream >= 10)
        print("crash test: \(acknowledged.count) acknowledged updates, \(cutMidStream) of 50 kills mid-stream")

        let client = try Session(sandbox)
        for ack in acknowledged {
            let entry = try client.result("audit.get", ["auditId": .int(ack.auditId)])["entry"]
            #expect(entry?["contactId"]?.stringValue == ack.contactId, "entry \(ack.auditId)")
            #expect(entry?["revisionAfter"]?.intValue == ack.revision, "entry \(ack.auditId)")
        }
        var totalEntries = 0
        for contactId in contacts { totalEntries += try verifyChain(contactId, client) }
        #expect(try client.auditEntryCount() == totalEntries)
        #expect(try client.finish() == exitedCleanly)
    }

    @Test func twoGatewaysOnOneFileLoseNoUpdate() throws {
        let sandbox = try Sandbox()
        let contacts = try seedContacts(in: sandbox, count: 6)
        let first = try GatewayProcess.serve(in: sandbox)
        let second = try GatewayProcess.serve(in: sandbox)
        var sent: [String: Int] = [:]
        for (offset, gateway) in [first, second].enumerated() {
            var input = ""
            for index in 0..<120 {
                // Contacts 0-1 are shared; 2-3 belong to the first process, 4-5 to the second.
                let contactId = index % 2 == 0 ? contacts[index % 4 / 2] : contacts[2 + offset * 2 + index % 4 / 2]
                sent[contactId, default: 0] += 1
                input +=
                    requestLine(
                        "contacts.forceUpdate", id: .int(index),
                        params: ["contactId": .string(contactId), "info": ["company": .string("p\(offset)-\(index)")]])
                    + "\n"
            }
            try gateway.write(Array(input.utf8), timeout: 10)
        }
        for gateway in [first, second] {
            let responses = try gateway.nextMessages(120, timeout: 60)
            #expect(responses.allSatisfy { $0["result"]?["auditId"]?.intValue != nil })
            #expect(try gateway.finish() == exitedCleanly)
        }
        let client = try Session(sandbox)
        for contactId in contacts {
            let stored = try client.result("contacts.get", ["contactId": .string(contactId)])["contact"]
            #expect(stored?["revision"]?.intValue == 1 + (sent[contactId] ?? 0), "no update to \(contactId) was lost")
            _ = try verifyChain(contactId, client)
        }
        #expect(try client.auditEntryCount() == contacts.count + 240)
        #expect(try client.finish() == exitedCleanly)
    }

    // MARK: - Helpers

    private func seedContacts(in sandbox: Sandbox, count: Int) throws -> [String] {
        let client = try Session(sandbox)
        let ids = try (0..<count).map { try client.createContact(["name": ["first": .string("Crash \($0)")]]) }
        #expect(try client.finish() == exitedCleanly)
        return ids
    }

    /// Checks one contact's history is a gap-free chain ending at the stored contact; returns its length.
    private func verifyChain(_ contactId: String, _ client: Session) throws -> Int {
        var entries: [JSONValue] = []
        var cursor: JSONValue?
        repeat {
            var params: JSONObject = ["contactId": .string(contactId), "order": "asc", "limit": 1000]
            if let cursor { params["cursor"] = cursor }
            let page = try client.result("audit.history", .object(params))
            entries += page["entries"]?.arrayValue ?? []
            cursor = page["nextCursor"]
        } while cursor != nil
        let stored = try client.result("contacts.get", ["contactId": .string(contactId)])["contact"]
        #expect(entries.first?["operation"] == "create")
        #expect(entries.first?["revisionAfter"] == 1)
        for (previous, entry) in zip(entries, entries.dropFirst()) {
            #expect(entry["revisionBefore"] == previous["revisionAfter"], "gap in \(contactId)")
            #expect(entry["revisionAfter"]?.intValue == (previous["revisionAfter"]?.intValue ?? 0) + 1)
            #expect(
                entry["before"] == previous["after"],
                "entry \(entry["auditId"] ?? .null) does not follow its predecessor")
        }
        #expect(entries.last?["after"] == stored, "the last entry of \(contactId) is the stored contact")
        #expect(entries.last?["revisionAfter"] == stored?["revision"])
        return entries.count
    }

    private static func ack(_ line: String) -> Ack? {
        guard let message = try? JSONValue.parse(line), let result = message["result"],
            let auditId = result["auditId"]?.intValue, let contact = result["contact"],
            let id = contact["id"]?.stringValue, let revision = contact["revision"]?.intValue
        else { return nil }
        return Ack(auditId: auditId, contactId: id, revision: revision)
    }
}

/// A gateway on an existing sandbox's database, with numbered calls.
private final class Session {
    let process: GatewayProcess
    private var nextID = 1

    init(_ sandbox: Sandbox) throws {
        process = try GatewayProcess.serve(in: sandbox)
    }

    /// The `result` of a call that must succeed.
    func result(_ method: String, _ params: JSONValue? = nil) throws -> JSONValue {
        let id = nextID
        nextID += 1
        try process.send(requestLine(method, id: .int(id), params: params))
        let response = try process.nextMessage(timeout: 30)
        guard response["id"]?.intValue == id, let result = response["result"] else {
            throw GatewayTestError("\(method) failed: \(response)")
        }
        return result
    }

    func createContact(_ info: JSONValue) throws -> String {
        try result("contacts.create", ["info": info])["contact"]?["id"]?.stringValue ?? ""
    }

    func auditEntryCount() throws -> Int? {
        try result("gateway.status")["auditEntries"]?.intValue
    }

    func finish() throws -> GatewayProcess.Termination {
        try process.finish(timeout: 30)
    }
}
