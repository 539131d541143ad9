import ContactStore
import Foundation
import JSONCore
import Testing
import WixContacts

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The emulator's store commits are readable up to one log sync before they are durable; its
/// answers built from reads wait until that sync is done, as the gateway's do.
@Suite struct EmulatorDurableAnswerTests {
    @Test func aReadWaitsWhileACommitIsBeingSynced() async throws {
        let disk = GatedDisk()
        try await EmulatorHarness.with(logSync: { disk.sync($0) }) { h in
            let id = try await h.seed(["name": ["first": "Ada"]])
            disk.close()
            let update = Task {
                try await h.store.update(id: id, patch: ContactInfoPatch(json: ["company": "Wix"]), revision: 1)
            }
            let deadline = ContinuousClock.now + .seconds(30)
            while !disk.isHolding {
                guard ContinuousClock.now < deadline else {
                    Issue.record("the update's sync never started")
                    return
                }
                try await Task.sleep(for: .milliseconds(2))
            }
            try await h.test { client in
                let answered = Answered()
                let read = Task {
                    let reply = try await client.call(.get, "/contacts/v4/contacts/\(id)")
                    answered.mark()
                    return reply
                }
                try await Task.sleep(for: .milliseconds(100))
                #expect(!answered.isDone)
                disk.open()
                let reply = try await read.value
                #expect(reply.status == 200)
                // Answered only after the sync: whichever revision it read is durable.
                #expect([1, 2].contains(reply.json["contact"]?["revision"]?.intValue))
            }
            _ = try await update.value
        }
    }
}

/// A log sync the test holds closed (at most a minute each), then real.
private final class GatedDisk: @unchecked Sendable {
    private let lock = NSLock()
    private var gate: DispatchSemaphore?
    private var held = 0

    /// Whether a sync is being held.
    var isHolding: Bool { lock.withLock { held > 0 } }

    func close() { lock.withLock { gate = DispatchSemaphore(value: 0) } }

    func open() {
        let opened = lock.withLock { () -> DispatchSemaphore? in
            defer { gate = nil }
            return gate
        }
        opened?.signal()
    }

    func sync(_ descriptor: Int32) -> Int32 {
        if let gate = lock.withLock({ gate }) {
            lock.withLock { held += 1 }
            _ = gate.wait(timeout: .now() + 60)
            lock.withLock { held -= 1 }
        }
        return fsync(descriptor) == 0 ? 0 : errno
    }
}

/// Whether a request has been answered.
private final class Answered: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    var isDone: Bool { lock.withLock { done } }
    func mark() { lock.withLock { done = true } }
}
