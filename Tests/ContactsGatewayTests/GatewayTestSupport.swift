import ContactsGateway
import ContactStore
import Foundation
import JSONCore
import JSONRPC

/// A gateway over a fresh SQLite file in its own temporary directory, with a fixed clock.
final class TestGateway: @unchecked Sendable {
    let directory: URL
    let backend: LocalBackend
    let gateway: ContactsGateway
    private var nextID = 0

    /// A gateway whose store syncs its log with `logSync` when given (an injected slow disk).
    init(logSync: (@Sendable (Int32) -> Int32)? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let clock = Counter(start: 1_795_946_400_000)  // 2026-11-29T10:00:00.000Z
        var configuration = StoreConfiguration(clock: { clock.next() })
        configuration.logSync = logSync
        backend = try LocalBackend(
            path: directory.appendingPathComponent("contacts.sqlite").path, configuration: configuration)
        gateway = ContactsGateway(backend: backend, defaultActor: "tester")
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Calls a method and returns its result, or throws the ResponseError.
    func call(_ method: String, _ params: JSONValue? = nil) async throws -> JSONValue {
        nextID += 1
        let result = try await gateway.handle(RPCRequest(id: .int(nextID), method: method, params: params))
        return try result.resolvingRaw()
    }

    /// Calls a method that must fail and returns the error.
    func failure(_ method: String, _ params: JSONValue? = nil) async -> ResponseError? {
        do {
            _ = try await call(method, params)
            return nil
        } catch let error as ResponseError {
            return error
        } catch {
            return nil
        }
    }

    /// Creates a contact named `first` and returns its id.
    func createContact(first: String, email: String? = nil) async throws -> String {
        var info: JSONObject = ["name": ["first": .string(first)]]
        if let email { info["emails"] = ["items": [["email": .string(email)]]] }
        let result = try await call("contacts.create", ["info": .object(info)])
        return result["contact"]?["id"]?.stringValue ?? ""
    }
}

/// A thread-safe millisecond counter, for a deterministic clock.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64

    init(start: Int64) { value = start }

    func next() -> Int64 {
        lock.withLock {
            value += 1
            return value
        }
    }
}
