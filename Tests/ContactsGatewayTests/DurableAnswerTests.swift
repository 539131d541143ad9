import ContactsGateway
import Foundation
import JSONCore
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A commit is readable up to one log sync before it is durable (the group commit syncs on its
/// own thread): an answer built from reads leaves only once what it may have read is durable,
/// so no client is shown a change a power loss could undo.
@Suite struct DurableAnswerTests {
    @Test func aQueryWaitsForTheSyncOfAnUpdateItCouldSee() async throws {
        let disk = HeldDisk()
        let gateway = try TestGateway(logSync: { descriptor in disk.sync(descriptor) })
        let id = try await gateway.createContact(first: "Ada")
        disk.hold()
        let update = Task {
            try await gateway.call(
                "contacts.update", ["contactId": .string(id), "revision": 1, "info": ["company": "Wix"]])
        }
        try await Self.until("the update's sync is held") { disk.held == 1 }
        let answered = Answered()
        let query = Task {
            let page = try await gateway.call("contacts.query", ["filter": ["info.company": "Wix"]])
            answered.mark(revision: page["contacts"]?.arrayValue?.count)
            return page
        }
        try await Task.sleep(for: .milliseconds(100))
        // The query has read the update (it matches), but may not tell of it yet.
        #expect(disk.held == 1)
        #expect(answered.revision == nil)
        disk.release()
        let page = try await query.value
        let updated = try await update.value
        #expect(updated["contact"]?["revision"] == 2)
        #expect(page["contacts"]?.arrayValue?.map { $0["id"]?.stringValue } == [id])
        #expect(disk.synced >= 1)
    }

    @Test func aGetAnsweredFromTheStoreNeverShowsAnUnsyncedChange() async throws {
        let disk = HeldDisk()
        let gateway = try TestGateway(logSync: { descriptor in disk.sync(descriptor) })
        let id = try await gateway.createContact(first: "Ada")
        disk.hold()
        let update = Task {
            try await gateway.call(
                "contacts.update", ["contactId": .string(id), "revision": 1, "info": ["company": "Wix"]])
        }
        try await Self.until("the update's sync is held") { disk.held == 1 }
        let answered = Answered()
        let get = Task {
            let contact = try await gateway.call("contacts.get", ["contactId": .string(id)])
            answered.mark(revision: contact["contact"]?["revision"]?.intValue)
        }
        try await Task.sleep(for: .milliseconds(100))
        // Either it is still waiting, or it answered the durable revision 1.
        #expect(answered.revision == nil || answered.revision == 1)
        disk.release()
        try await get.value
        _ = try await update.value
        #expect(answered.revision == 1 || answered.revision == 2)
    }

    /// Polls `condition`; fails the test after 30 seconds.
    static func until(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting until \(what)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}

/// A disk whose log syncs the test can hold back (at most a minute each), then real.
private final class HeldDisk: @unchecked Sendable {
    private let condition = NSCondition()
    private var holding = false
    private var heldCount = 0
    private var syncedCount = 0

    var held: Int { condition.withLock { heldCount } }
    var synced: Int { condition.withLock { syncedCount } }

    func hold() { condition.withLock { holding = true } }

    func release() {
        condition.withLock {
            holding = false
            condition.broadcast()
        }
    }

    func sync(_ descriptor: Int32) -> Int32 {
        condition.withLock {
            heldCount += holding ? 1 : 0
            let deadline = Date().addingTimeInterval(60)
            while holding, condition.wait(until: deadline) {}
        }
        let result: Int32 = fsync(descriptor) == 0 ? 0 : errno
        condition.withLock { syncedCount += 1 }
        return result
    }
}

/// What a request answered (a revision, a count), once it has.
private final class Answered: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int?
    var revision: Int? { lock.withLock { value } }
    func mark(revision: Int?) { lock.withLock { value = revision } }
}
