import Foundation
import JSONCore
import JSONRPC

/// A handler built from closures, so each test states the behaviour it needs next to the test.
struct ClosureHandler: RPCMethodHandler {
    var keys: @Sendable (RPCRequest) -> [String] = { _ in [] }
    var body: @Sendable (RPCRequest) async throws -> JSONValue

    func orderingKeys(for request: RPCRequest) -> [String] { keys(request) }
    func handle(_ request: RPCRequest) async throws -> JSONValue { try await body(request) }
}

/// The methods used by the examples of the JSON-RPC 2.0 specification, section 7.
struct SpecificationExampleHandler: RPCMethodHandler {
    func handle(_ request: RPCRequest) async throws -> JSONValue {
        switch request.method {
        case "subtract":
            if let pair = request.params?.arrayValue, pair.count == 2,
                let minuend = pair[0].intValue, let subtrahend = pair[1].intValue
            {
                return .int(minuend - subtrahend)
            }
            if let minuend = request.params?["minuend"]?.intValue,
                let subtrahend = request.params?["subtrahend"]?.intValue
            {
                return .int(minuend - subtrahend)
            }
            throw ResponseError.invalidParams("subtract takes two numbers.")
        case "sum":
            let numbers = request.params?.arrayValue?.compactMap(\.intValue) ?? []
            return .int(numbers.reduce(0, +))
        case "get_data":
            return ["hello", 5]
        case "update", "notify_hello", "notify_sum":
            return .null
        default:
            throw ResponseError.methodNotFound(request.method)
        }
    }
}

/// Answers `echo` with its `value` param; anything else is not found.
struct EchoHandler: RPCMethodHandler {
    func handle(_ request: RPCRequest) async throws -> JSONValue {
        guard request.method == "echo" else { throw ResponseError.methodNotFound(request.method) }
        return request.params?["value"] ?? .null
    }
}

// MARK: - Synchronisation helpers

/// A thread-safe list of events, with a way to await the n-th one.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [String] = []
    private var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    func record(_ event: String) {
        lock.lock()
        events.append(event)
        let ready = waiters.filter { $0.count <= events.count }
        waiters.removeAll { $0.count <= events.count }
        lock.unlock()
        for waiter in ready { waiter.continuation.resume() }
    }

    var all: [String] {
        lock.withLock { events }
    }

    /// Waits until at least `count` events were recorded (wrap in `withDeadline`).
    func waitForCount(_ count: Int) async {
        await withCheckedContinuation { continuation in
            lock.lock()
            if events.count >= count {
                lock.unlock()
                continuation.resume()
            } else {
                waiters.append((count, continuation))
                lock.unlock()
            }
        }
    }
}

/// Holds handlers until the test lets them through, one permit at a time or all at once.
final class Gate: @unchecked Sendable {
    private let lock = NSLock()
    private var permits = 0
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Waits for a permit. Deliberately ignores cancellation: it models work that must finish.
    func pass() async {
        await withCheckedContinuation { continuation in
            lock.lock()
            if isOpen || permits > 0 {
                if !isOpen { permits -= 1 }
                lock.unlock()
                continuation.resume()
            } else {
                waiting.append(continuation)
                lock.unlock()
            }
        }
    }

    /// Lets `count` more handlers through.
    func release(_ count: Int = 1) {
        lock.lock()
        var resumed: [CheckedContinuation<Void, Never>] = []
        permits += count
        while permits > 0, !waiting.isEmpty {
            resumed.append(waiting.removeFirst())
            permits -= 1
        }
        lock.unlock()
        for continuation in resumed { continuation.resume() }
    }

    /// Lets every handler through, now and later.
    func open() {
        lock.lock()
        isOpen = true
        let resumed = waiting
        waiting = []
        lock.unlock()
        for continuation in resumed { continuation.resume() }
    }
}

// MARK: - JSON helpers

/// The ordering keys a test request names: `params.key` (one) or `params.keys` (several).
func keysParam(_ request: RPCRequest) -> [String] {
    if let key = request.params?["key"]?.stringValue { return [key] }
    return request.params?["keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
}

/// Parses a response line.
func parse(_ line: String) throws -> JSONValue {
    try JSONValue.parse(line)
}

/// A request line.
func requestLine(_ method: String, id: JSONValue?, params: JSONValue? = nil) -> String {
    var object = JSONObject()
    object["jsonrpc"] = "2.0"
    object["method"] = .string(method)
    if let params { object["params"] = params }
    if let id { object["id"] = id }
    return JSONValue.object(object).serializedString() + "\n"
}

/// The `id` of a response.
func responseID(_ response: JSONValue) -> JSONValue? {
    response["id"]
}

/// The `error.code` of a response, if it is an error.
func errorCode(_ response: JSONValue) -> Int? {
    response["error"]?["code"]?.intValue
}
