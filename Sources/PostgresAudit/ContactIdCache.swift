import Foundation

/// Entry id → contact id, for ``PostgresAuditStore/contactId(ofEntry:)``. An entry's contact
/// never changes once known (a create's is filled in once, at settlement), so entries are never
/// invalidated; the oldest half is dropped past a bound.
final class ContactIdCache: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [Int64: String] = [:]
    private let limit = 100_000

    subscript(auditId: Int64) -> String? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return ids[auditId]
        }
        set {
            lock.lock()
            defer { lock.unlock() }
            if ids.count >= limit, let median = ids.keys.sorted().dropFirst(limit / 2).first {
                ids = ids.filter { $0.key >= median }
            }
            ids[auditId] = newValue
        }
    }
}

/// One value handed from a task to a thread that blocks for it.
final class BlockingAnswer<Value: Sendable>: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var value: Value?

    func give(_ value: Value) {
        lock.lock()
        self.value = value
        lock.unlock()
        semaphore.signal()
    }

    /// The value, or `nil` when none came within `seconds`.
    func wait(seconds: Double) -> Value? {
        guard semaphore.wait(timeout: .now() + seconds) == .success else { return nil }
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
