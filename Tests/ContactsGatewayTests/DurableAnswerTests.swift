import ContactStore
import ContactsGateway
import Foundation
import JSONCore
import JSONRPC
import Testing
import WixContacts

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
        let held = try await HeldUpdate()
        let answered = Answered()
        let query = Task {
            let page = try await held.gateway.call("contacts.query", ["filter": ["info.company": "Wix"]])
            answered.mark(page["contacts"]?.arrayValue?.count)
            return page
        }
        try await Task.sleep(for: .milliseconds(100))
        // The query has read the update (it matches), but may not tell of it yet.
        #expect(answered.value == nil)
        held.disk.release()
        let page = try await query.value
        let updated = try await held.update.value
        #expect(updated["contact"]?["revision"] == 2)
        #expect(page["contacts"]?.arrayValue?.map { $0["id"]?.stringValue } == [held.id])
    }

    @Test func aGetReadFromTheFileWaitsForTheSyncOfWhatItRead() async throws {
        // Another process's commit: this one no longer answers the contact from memory.
        let held = try await HeldUpdate(afterAnotherProcessCommits: true)
        let get = RPCRequest(id: .int(1), method: "contacts.get", params: ["contactId": .string(held.id)])
        // The reader thread's fast path reads revision 2, not yet durable: it declines.
        #expect(held.gateway.gateway.handleImmediately(get) == nil)
        let answered = Answered()
        let waiting = Task {
            let contact = try await held.gateway.call("contacts.get", ["contactId": .string(held.id)])
            answered.mark(contact["contact"]?["revision"]?.intValue)
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(answered.value == nil)
        held.disk.release()
        try await waiting.value
        _ = try await held.update.value
        #expect(answered.value == 2)
    }
}

/// A gateway with one contact (revision 1) whose update to company `Wix` has committed and
/// waits for its log sync, which the disk holds until `disk.release()`.
private struct HeldUpdate {
    let disk = HeldDisk()
    let gateway: TestGateway
    let id: String
    let update: Task<JSONValue, any Error>

    init(afterAnotherProcessCommits: Bool = false) async throws {
        let disk = self.disk
        gateway = try TestGateway(logSync: { descriptor in disk.sync(descriptor) })
        id = try await gateway.createContact(first: "Ada")
        if afterAnotherProcessCommits {
            let other = try ContactStore(path: gateway.directory.appendingPathComponent("contacts.sqlite").path)
            _ = try await other.create(patch: ContactInfoPatch(json: ["name": ["first": "Grace"]]))
        }
        disk.hold()
        update = Task { [gateway, id] in
            try await gateway.call(
                "contacts.update", ["contactId": .string(id), "revision": 1, "info": ["company": "Wix"]])
        }
        // Polled, with a deadline: the whole suite may be running beside it on two cores.
        let deadline = ContinuousClock.now + .seconds(30)
        while disk.started.wait(timeout: .now()) != .success {
            guard ContinuousClock.now < deadline else {
                Issue.record("the update's sync never started")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}

/// A disk whose log syncs the test can hold back (each at most a minute), then real.
private final class HeldDisk: @unchecked Sendable {
    private let lock = NSLock()
    private var holding = false
    /// Signalled when a held sync begins.
    let started = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)

    func hold() { lock.withLock { holding = true } }

    func release() {
        lock.withLock { holding = false }
        released.signal()
    }

    func sync(_ descriptor: Int32) -> Int32 {
        if lock.withLock({ holding }) {
            started.signal()
            _ = released.wait(timeout: .now() + 60)
        }
        return fsync(descriptor) == 0 ? 0 : errno
    }
}

/// What a request answered (a revision, a count), once it has.
private final class Answered: @unchecked Sendable {
    private let lock = NSLock()
    private var answer: Int?
    var value: Int? { lock.withLock { answer } }
    func mark(_ value: Int?) { lock.withLock { answer = value } }
}
