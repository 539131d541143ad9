public import JSONCore
public import JSONRPC
import WixContacts

/// The gateway's methods served as JSON-RPC 2.0 (SPEC §3): a thin adapter over
/// ``GatewayMethods``, which it asks for the method, its ordering keys and its result; it only
/// turns requests into params and a ``RequestContext``, and neutral errors into JSON-RPC ones.
///
/// Plug it into a ``JSONRPC/StdioServer`` to serve stdio:
///
/// ```swift
/// let backend = try LocalBackend(path: "contacts.sqlite")
/// let gateway = ContactsGateway(backend: backend, defaultActor: "alice")
/// let server = StdioServer(configuration: .init(outputFD: fd), handler: gateway, logger: logger)
/// _ = await server.run()
/// ```
public final class ContactsGateway: RPCMethodHandler {
    /// The product version reported by `gateway.status` and `rpc.discover`.
    public static var version: String { GatewayMethods.version }

    /// The protocol-neutral methods it serves.
    public let gatewayMethods: GatewayMethods

    /// Serves `methods`, which another front end may serve at the same time.
    public init(methods: GatewayMethods) {
        gatewayMethods = methods
    }

    /// Serves the methods over `backend`.
    public convenience init(backend: any ContactsBackend, defaultActor: String? = nil, runId: String? = nil) {
        self.init(methods: GatewayMethods(backend: backend, defaultActor: defaultActor, runId: runId))
    }

    /// The backend behind the methods.
    public var backend: any ContactsBackend { gatewayMethods.backend }
    /// The actor recorded when a request names none.
    public var defaultActor: String? { gatewayMethods.defaultActor }
    /// Every method, by name: the dispatcher's table and the OpenRPC document's source.
    public var methods: [String: MethodDescriptor] { gatewayMethods.methods }
    /// Every method name, sorted.
    public var methodNames: [String] { gatewayMethods.methodNames }

    // MARK: - RPCMethodHandler

    /// The request's contacts (`contact:<id>`), so requests touching one contact keep their order.
    public func orderingKeys(for request: RPCRequest) -> [String] {
        gatewayMethods.orderingKeys(request.method, params: request.params)
    }

    /// Runs the method; neutral errors become JSON-RPC errors.
    public func handle(_ request: RPCRequest) async throws -> JSONValue {
        do {
            return try await gatewayMethods.call(
                request.method, params: request.params,
                context: RequestContext(
                    actor: nil, requestId: request.id?.description, progress: Self.progressReporter(for: request)))
        } catch {
            throw Self.protocolError(for: error)
        }
    }

    /// The JSON-RPC error a method's error is answered with. Anything unexpected reaches the
    /// server as it is: it answers with `-32603` and logs the error itself, which the client
    /// never sees. Not inlined: the errors it casts to stay out of ``handle(_:)``'s async frame,
    /// which the task allocates for every request.
    @inline(never)
    private static func protocolError(for error: any Error) -> any Error {
        switch error {
        case let error as InvalidParamsError: return GatewayErrors.response(for: error)
        case let error as ContactsError: return GatewayErrors.response(for: error)
        case let error as MethodNotFoundError: return ResponseError.methodNotFound(error.name)
        default: return error
        }
    }

    /// Progress of a request with an id, as `$/progress` notifications
    /// `{"id": <request id>, "completed": n, "total": m, "message": "…"}` before its response.
    private static func progressReporter(for request: RPCRequest) -> ProgressReporter? {
        guard let id = request.id, let notifier = RPCNotifier.current else { return nil }
        return ProgressReporter { update in
            var params: JSONObject = ["id": id.jsonValue, "completed": .int(update.completed)]
            if let total = update.total { params["total"] = .int(total) }
            if let message = update.message { params["message"] = .string(message) }
            notifier.notify("$/progress", params: .object(params))
        }
    }

    /// Answers on the reader thread, without a task, what the method layer can answer at once
    /// (`contacts.get` from a backend's fast reader): the hot path of the product.
    public func handleImmediately(_ request: RPCRequest) -> Result<JSONValue, ResponseError>? {
        do {
            return try gatewayMethods.callImmediately(request.method, params: request.params).map { .success($0) }
        } catch let error as InvalidParamsError {
            return .failure(GatewayErrors.response(for: error))
        } catch let error as ContactsError {
            return .failure(GatewayErrors.response(for: error))
        } catch {
            // Unexpected: left to the task path, whose failure the server logs.
            return nil
        }
    }
}
