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
        case "ping": return [:]
        case "notifications/initialized":
            session.markInitialized()
            return .null
        case let method where method.hasPrefix("notifications/"):
            return .null  // roots/list_changed and the like: nothing to do
        case "tools/list", "tools/call", "resources/list", "resources/templates/list", "resources/read",
            "logging/setLevel":
            try session.requireInitialized(for: request.method)
        default:
            // Includes `server/discover`, the SDK's probe for its stateless era: the SDK then
            // falls back to `initialize`.
            throw ResponseError.methodNotFound(request.method)
        }
        let context = RequestContext(
            actor: session.actor, requestId: request.id?.description,
            progress: MCPNotifications.progressReporter(
                token: MCPNotifications.progressToken(in: request.params), notifier: RPCNotifier.current))
        switch request.method {
        case "tools/list": return ["tools": .array(tools.tools.map(\.definition))]
        case "tools/call": return try await callTool(request.params, context: context)
        case "resources/templates/list": return resources.templates
        case "resources/list":
            return try await answering {
                try await resources.list(cursor: request.params?["cursor"]?.stringValue, context: context)
            }
        case "resources/read":
            guard let uri = request.params?["uri"]?.stringValue else { throw MCPErrors.badParam("uri", "a string") }
            return try await answering { try await resources.read(uri, context: context) }
        default:  // logging/setLevel
            guard let name = request.params?["level"]?.stringValue, let level = MCPLogLevel(rawValue: name) else {
                throw MCPErrors.badParam(
                    "level", "one of " + MCPLogLevel.allCases.map(\.rawValue).joined(separator: ", "))
            }
            session.logLevel = level
            return [:]
        }
    }

    // MARK: - Methods

    private func initialize(_ params: JSONValue?) throws(ResponseError) -> JSONValue {
        let agreement = try session.initialize(params)
        return [
            "protocolVersion": .string(agreement.protocolVersion),
            "capabilities": [
                "tools": ["listChanged": false],
                "resources": ["subscribe": false, "listChanged": false],
                "logging": [:],
            ],
            "serverInfo": [
                "name": .string(Self.serverName), "title": "Wix Contacts gateway",
                "version": .string(GatewayMethods.version),
            ],
            "instructions": .string(Self.instructions),
        ]
    }

    /// Runs a tool: application failures become `isError` results; an unknown tool or malformed
    /// request is a protocol error; anything unexpected reaches the server (`-32603`, logged).
    private func callTool(_ params: JSONValue?, context: RequestContext) async throws -> JSONValue {
        guard let name = params?["name"]?.stringValue else { throw MCPErrors.badParam("name", "a string") }
        guard let tool = tools.tool(named: name) else { throw MCPErrors.unknownTool(name) }
        let arguments = params?["arguments"]
        if let arguments, arguments.objectValue == nil, !arguments.isNull {
            throw MCPErrors.badParam("arguments", "an object")
        }
        do {
            let validated = try MethodParams(
                validating: arguments?.isNull == true ? nil : arguments, against: tool.params)
            let result = try await methods.call(tool.descriptor, params: validated, context: context)
            let summary = ResultSummary.line(method: tool.descriptor.name, result: try result.resolvingRaw())
            MCPNotifications.log(tool.descriptor.hints.readOnly ? .debug : .notice, summary, session: session)
            return ToolResult.success(result, summary: summary)
        } catch let error as InvalidParamsError {
            MCPNotifications.log(.warning, "\(name): \(error.message)", session: session)
            return ToolResult.failure(error)
        } catch let error as ContactsError {
            MCPNotifications.log(.warning, "\(name): \(error.code.rawValue): \(error.message)", session: session)
            return ToolResult.failure(error)
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

    /// What `initialize` tells the agent about using the tools well.
    static let instructions = """
        Wix Contacts through an audited gateway. Read before you write: contacts_get returns a \
        contact with its revision; contacts_update needs that revision and fails with \
        CONTACT_ALREADY_CHANGED when someone changed the contact since (read again and retry, or \
        use contacts_forceUpdate). Fields sent in info replace the stored ones whole (lists \
        included); omitted fields are kept. Every change is recorded in the audit log \
        (audit_history, or the resource audit://{contactId}) under this connection's actor, and \
        contacts_undo reverts one (strict by default: it refuses when the fields changed since). \
        Use dryRun: true to preview an update or undo.
        """
}
