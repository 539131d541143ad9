public import ContactsGateway
public import JSONCore
public import JSONRPC
import WixContacts

/// The gateway as a Model Context Protocol server: an ``RPCMethodHandler`` for the same
/// ``JSONRPC/StdioServer`` that serves JSON-RPC, so MCP gets the same framing, concurrency,
/// per-contact ordering, cancellation and shutdown.
///
/// Tools are the gateway's methods (``ToolCatalog``), resources its contacts and their
/// histories (``ResourceCatalog``); both call ``GatewayMethods`` like the JSON-RPC adapter does.
/// It speaks the stateless revision `2026-07-28` (`server/discover`, each request's `_meta`)
/// and the handshake revisions (`initialize`); see ``MCPProtocolVersion``.
///
/// ```swift
/// let server = MCPServer(methods: GatewayMethods(backend: backend), actor: nil)
/// let stdio = StdioServer(
///     configuration: ServerConfiguration(outputFD: fd, cancelNotifications: [MCPServer.cancelNotification]),
///     handler: server, logger: logger)
/// _ = await stdio.run()
/// ```
public final class MCPServer: RPCMethodHandler {
    /// MCP's cancel notification, for ``JSONRPC/ServerConfiguration/cancelNotifications``.
    public static let cancelNotification = CancelNotification(method: "notifications/cancelled", idParam: "requestId")
    /// The name in `serverInfo`.
    public static let serverName = "contacts-gateway"

    /// The methods served.
    public let methods: GatewayMethods
    /// The tools.
    public let tools: ToolCatalog
    /// The resources.
    public let resources: ResourceCatalog
    /// The connection's state.
    public let session: MCPSession

    /// Serves `methods`; writes are recorded under `actor` when given, else `mcp:<client name>`.
    public init(methods: GatewayMethods, actor: String?) {
        self.methods = methods
        tools = ToolCatalog(methods: methods)
        resources = ResourceCatalog(methods: methods)
        session = MCPSession(fixedActor: actor)
    }

    // MARK: - RPCMethodHandler

    /// A tool call is ordered like its method (`contact:<id>`); a resource read like a read of
    /// its contact. So an agent's update and a later read of the same contact keep their order.
    public func orderingKeys(for request: RPCRequest) -> [String] {
        switch request.method {
        case "tools/call":
            guard let name = request.params?["name"]?.stringValue, let tool = tools.tool(named: name) else { return [] }
            return methods.orderingKeys(tool.descriptor.name, params: request.params?["arguments"])
        case "resources/read":
            return request.params?["uri"]?.stringValue.flatMap(ResourceCatalog.contactId(in:)).map { ["contact:" + $0] }
                ?? []
        default:
            return []
        }
    }

    /// Answers one MCP request or notification.
    public func handle(_ request: RPCRequest) async throws -> JSONValue {
        switch request.method {
        case "initialize": return try initialize(request.params)
        case "server/discover": return try discover(request.params)
        case "ping": return [:]
        case "notifications/initialized":
            session.markInitialized()
            return .null
        case let method where method.hasPrefix("notifications/"):
            return .null  // roots/list_changed and the like: nothing to do
        case "tools/list", "tools/call", "resources/list", "resources/templates/list", "resources/read",
            "logging/setLevel":
            let scope = try MCPRequestScope(method: request.method, params: request.params, session: session)
            return try await handle(request, in: scope)
        default:
            throw ResponseError.methodNotFound(request.method)
        }
    }

    private func handle(_ request: RPCRequest, in scope: MCPRequestScope) async throws -> JSONValue {
        let context = RequestContext(
            actor: scope.actor, requestId: request.id?.description,
            progress: MCPNotifications.progressReporter(
                token: MCPNotifications.progressToken(in: request.params), notifier: RPCNotifier.current))
        switch request.method {
        case "tools/list":
            return scope.shape(["tools": .array(tools.tools.map(\.definition))], cache: .public)
        case "tools/call":
            return scope.shape(try await callTool(request.params, context: context, scope: scope))
        case "resources/templates/list":
            return scope.shape(resources.templates, cache: .public)
        case "resources/list":
            let cursor = request.params?["cursor"]?.stringValue
            return scope.shape(
                try await answering { try await resources.list(cursor: cursor, context: context) }, cache: .private)
        case "resources/read":
            guard let uri = request.params?["uri"]?.stringValue else { throw MCPErrors.badParam("uri", "a string") }
            return scope.shape(try await answering { try await resources.read(uri, context: context) }, cache: .private)
        default:  // logging/setLevel: for the handshake revisions (stateless requests carry their level)
            guard let name = request.params?["level"]?.stringValue, let level = MCPLogLevel(rawValue: name) else {
                throw MCPErrors.badParam(
                    "level", "one of " + MCPLogLevel.allCases.map(\.rawValue).joined(separator: ", "))
            }
            session.logLevel = level
            return scope.shape([:])
        }
    }

    /// Runs a resource method, answering the errors of the methods it calls as JSON-RPC does.
    private func answering(_ body: () async throws -> JSONValue) async throws -> JSONValue {
        do {
            return try await body()
        } catch let error as ResponseError {
            throw error
        } catch let error as ContactsError {
            throw GatewayErrors.response(for: error)
        } catch let error as InvalidParamsError {
            throw GatewayErrors.response(for: error)
        }
    }
}
