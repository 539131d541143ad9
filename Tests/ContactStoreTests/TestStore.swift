import ContactStore
import Foundation
import JSONCore
import Testing
import WixContacts

/// A ``ContactStore`` on a real SQLite file in its own temporary directory, with a clock that
/// starts at 2026-11-29T10:00:00.000Z and advances 1 ms per reading, and ids `id-1`, `id-2`, ...
struct TestStore {
    /// 2026-11-29T10:00:00.000Z in milliseconds since 1970.
    static let startMillis: Int64 = 1_795_946_400_000

    let store: ContactStore
    let directory: URL
    let ticks: Counter

    /// The timestamp the clock gives on its `reading`-th reading (1-based).
    static func timestamp(reading: Int) -> String {
        Timestamp.rfc3339(millisecondsSince1970: startMillis + Int64(reading - 1))
    }

    /// Runs `body` with a fresh store and removes its directory afterwards.
    static func with<T>(checkpointPages: Int32 = 8000, _ body: (TestStore) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ContactStoreTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let ticks = Counter()
        let ids = Counter()
        let configuration = StoreConfiguration(
            clock: { startMillis + Int64(ticks.next() - 1) },
            makeID: { "id-\(ids.next())" },
            durableCommits: false,
            checkpointPages: checkpointPages
        )
        let store = try ContactStore(
            path: directory.appendingPathComponent("contacts.sqlite").path, configuration: configuration)
        return try await body(TestStore(store: store, directory: directory, ticks: ticks))
    }

    // MARK: - Shorthands over JSON

    /// Creates a contact from an `info` JSON literal.
    @discardableResult
    func create(_ info: JSONValue, allowDuplicates: Bool = false, member: Bool = false) async throws -> Contact {
        try await store.create(patch: ContactInfoPatch(json: info), allowDuplicates: allowDuplicates, member: member)
            .after
    }

    /// Updates a contact with an `info` JSON literal.
    @discardableResult
    func update(_ id: String, _ info: JSONValue, revision: Int, allowDuplicates: Bool = false) async throws -> Contact {
        try await store.update(
            id: id, patch: ContactInfoPatch(json: info), revision: revision, allowDuplicates: allowDuplicates
        )
        .after
    }

    /// The stored contact, decoded.
    func read(_ id: String) async throws -> Contact {
        try await store.snapshot(id: id).contact()
    }
}

/// Set once, read from another thread.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// A thread-safe counter starting at 1.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }

    var current: Int { lock.withLock { value } }
}

// MARK: - Error expectations

/// Runs `body`, expecting it to throw a ``ContactsError`` with `code`; returns the error.
@discardableResult
func expectError(
    _ code: ContactsError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> ContactsError? {
    do {
        try await body()
        Issue.record("Expected \(code), but the call succeeded.", sourceLocation: sourceLocation)
        return nil
    } catch let error as ContactsError {
        #expect(error.code == code, sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("Expected \(code), got \(error).", sourceLocation: sourceLocation)
        return nil
    }
}

extension ContactsError {
    /// The `field` of every field violation in `details`.
    var violatedFields: [String] {
        details["fieldViolations"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
    }
}
