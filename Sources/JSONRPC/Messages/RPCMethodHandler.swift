public import JSONCore

/// What a ``StdioServer`` calls for every request: the seam between transport and methods.
///
/// ```swift
/// struct Methods: RPCMethodHandler {
///     func orderingKeys(for request: RPCRequest) -> [String] {
///         // Same contact: one after another. A request naming two contacts gives both keys.
///         request.params?["contactId"]?.stringValue.map { [$0] } ?? []
///     }
///
///     func handle(_ request: RPCRequest) async throws -> JSONValue {
///         switch request.method {
///         case "ping": return ["pong": true]
///         default: throw ResponseError.methodNotFound(request.method)
///         }
///     }
/// }
/// ```
public protocol RPCMethodHandler: Sendable {
    /// The keys that order this request against others; empty means unordered.
    ///
    /// A request runs after every earlier request that shares any of its keys has finished, and
    /// before every later one that shares any: arrival order per key. Requests with no key in
    /// common run concurrently. Several keys let one request (a merge, a bulk change) be ordered
    /// against everything it touches. Called on the reader thread in arrival order, so keep it
    /// cheap and non-blocking. The default is `[]` (no ordering).
    func orderingKeys(for request: RPCRequest) -> [String]

    /// Handles one request or notification and returns its result.
    ///
    /// Runs in its own task. `$/cancelRequest` cancels that task: throw `CancellationError` (for
    /// example from `Task.checkCancellation()`) to answer `-32800`. A handler whose work has
    /// already been committed should return its result instead; that result is sent, because
    /// answering "cancelled" about a change that happened would mislead the caller.
    ///
    /// - Returns: The `result` value; it may contain `.raw` fragments, written verbatim.
    /// - Throws: ``ResponseError`` to answer with that error. `CancellationError` (the request was
    ///   cancelled) becomes `-32800`. Any other error becomes `-32603` with a generic message;
    ///   the error itself is logged, never sent.
    func handle(_ request: RPCRequest) async throws -> JSONValue

    /// Answers a request at once on the reader thread, without a task, when that is possible
    /// and cheap (a point read that needs no waiting); `nil` means "not now", and the request is
    /// handled by ``handle(_:)`` as usual.
    ///
    /// Called only for requests with an id, and only when no earlier request sharing any of its
    /// ordering keys is still running, so ordering holds. Must never block or wait.
    func handleImmediately(_ request: RPCRequest) -> Result<JSONValue, ResponseError>?
}

extension RPCMethodHandler {
    /// No ordering: every request runs concurrently.
    public func orderingKeys(for request: RPCRequest) -> [String] { [] }

    /// No fast path: every request runs in its own task.
    public func handleImmediately(_ request: RPCRequest) -> Result<JSONValue, ResponseError>? { nil }
}
