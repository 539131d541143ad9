import ContactStore
import Foundation
import JSONCore
import Testing
import WixContacts

/// Concurrent writes through the group committer.
@Suite struct ContactStoreConcurrencyTests {
    /// Reads the latest revision and updates, retrying on `CONTACT_ALREADY_CHANGED` with the
    /// revision the error reports (what `contacts.forceUpdate` does).
    static func forceUpdate(_ t: TestStore, id: String, info: JSONValue) async throws -> Contact {
        var revision = try await t.store.snapshot(id: id).revision
        for _ in 0..<1000 {
            do {
                return try await t.update(id, info, revision: revision)
            } catch let error as ContactsError where error.code == .contactAlreadyChanged {
                revision = try #require(error.details["currentRevision"]?.intValue)
            }
        }
        throw ContactsError(.contactAlreadyChanged)
    }

    @Test func concurrentForcedUpdatesAllLandWithExactRevisions() async throws {
        try await TestStore.with { t in
            var ids: [String] = []
            for index in 0..<20 { ids.append(try await t.create(["name": ["first": .string("C\(index)")]]).id) }
            let contactIDs = ids
            let results = try await withThrowingTaskGroup(of: (String, Int).self) { group in
                for index in 0..<200 {
                    group.addTask {
                        let id = contactIDs[index % 20]
                        let contact = try await Self.forceUpdate(t, id: id, info: ["jobTitle": .string("job \(index)")])
                        return (id, contact.revision)
                    }
                }
                var results: [(String, Int)] = []
                for try await result in group { results.append(result) }
                return results
            }
            #expect(results.count == 200)
            for id in ids {
                let revisions = results.filter { $0.0 == id }.map(\.1).sorted()
                #expect(revisions == Array(2...11), "each update of \(id) got its own revision")
                #expect(try await t.read(id).revision == 1 + revisions.count)
            }
        }
    }

    enum Outcome: Equatable, Sendable {
        case revision(Int)
        case failed(String)
    }

    @Test func failingWritesDoNotFailTheirNeighboursInTheSameGroup() async throws {
        try await TestStore.with { t in
            var ids: [String] = []
            for index in 0..<10 { ids.append(try await t.create(["name": ["first": .string("C\(index)")]]).id) }
            let contactIDs = ids
            // Hold the writer until every write below has been submitted, so they queue up and
            // commit as one group. (The assertions hold however they are grouped.)
            let submitted = Counter()
            let blocker = Task {
                try await t.store.write { _ in
                    while submitted.current < 30 { usleep(1_000) }
                    usleep(20_000)
                }
            }
            let outcomes = await withTaskGroup(of: (Int, Outcome).self) { group in
                for index in 0..<30 {
                    group.addTask {
                        _ = submitted.next()
                        let id = contactIDs[index % 10]
                        do {
                            switch index % 3 {
                            case 0:  // valid
                                let contact = try await t.update(id, ["company": .string("co \(index)")], revision: 1)
                                return (index, .revision(contact.revision))
                            case 1:  // stale revision
                                let contact = try await t.update(id, ["company": "stale"], revision: 9)
                                return (index, .revision(contact.revision))
                            default:  // fails after writing inside its savepoint
                                try await t.store.write { db in
                                    try db.execute(
                                        sql: "UPDATE contact SET revision = 99 WHERE id = ?", arguments: [id])
                                    throw ContactsError(.internalError)
                                }
                                return (index, .revision(99))
                            }
                        } catch let error as ContactsError {
                            return (index, .failed(error.code.rawValue))
                        } catch {
                            return (index, .failed("\(error)"))
                        }
                    }
                }
                var outcomes: [Int: Outcome] = [:]
                for await (index, outcome) in group { outcomes[index] = outcome }
                return outcomes
            }
            try await blocker.value
            for index in 0..<30 {
                switch index % 3 {
                case 0: #expect(outcomes[index] == .revision(2))
                case 1: #expect(outcomes[index] == .failed("CONTACT_ALREADY_CHANGED"))
                default: #expect(outcomes[index] == .failed("INTERNAL"))
                }
            }
            for (position, id) in ids.enumerated() {
                let validWrite = [position, position + 10, position + 20].first { $0 % 3 == 0 }!
                let contact = try await t.read(id)
                #expect(contact.revision == 2)
                #expect(contact.info.company == "co \(validWrite)")
            }
        }
    }
}
