import Foundation
public import JSONCore
public import JSONRPC

/// What one MCP connection has agreed on in the `initialize` handshake: the protocol revision,
/// who the client is (and so the actor its writes are recorded under), and the log level it
/// asked for. (Stateless-revision requests say all of it in their own `_meta` instead.)
///
/// Requests run concurrently, so the state sits behind a lock. Only `initialize` gates the
/// rest: `notifications/initialized` runs in its own task and may finish after the requests
/// the client sends next, so waiting for it could reorder nothing but would add a race.
public final class MCPSession: @unchecked Sendable {
    /// The state agreed in `initialize`.
    public struct Agreement: Sendable, Equatable {
        /// The protocol revision answered.
        public var protocolVersion: String
        /// `clientInfo.name`.
        public var clientName: String
        /// `clientInfo.version`, when sent.
        public var clientVersion: String?
    }

    // Guards the three variables below.
    private let lock = NSLock()
    private var agreement: Agreement?
    private var level: MCPLogLevel = .info
    private var initializedNotified = false

    /// The actor for writes when set (`--actor`); otherwise `mcp:<clientInfo.name>`.
    public let fixedActor: String?

    /// A session before `initialize`.
    public init(fixedActor: String?) {
        self.fixedActor = fixedActor
    }

    // MARK: - Lifecycle

    /// Records the client's `initialize` params and returns the revision to answer with.
    ///
    /// - Throws: ``ResponseError`` `-32602` for missing or mistyped params, `-32600` for a second
    ///   `initialize`.
    public func initialize(_ params: JSONValue?) throws(ResponseError) -> Agreement {
        guard let requested = params?["protocolVersion"]?.stringValue else {
            throw MCPErrors.badParam("protocolVersion", "a string")
        }
        guard let name = params?["clientInfo"]?["name"]?.stringValue else {
            throw MCPErrors.badParam("clientInfo.name", "a string")
        }
        let new = Agreement(
            protocolVersion: MCPProtocolVersion.negotiate(requested), clientName: String(name.prefix(100)),
            clientVersion: params?["clientInfo"]?["version"]?.stringValue)
        lock.lock()
        defer { lock.unlock() }
        guard agreement == nil else { throw MCPErrors.alreadyInitialized() }
        agreement = new
        return new
    }

    /// Notes `notifications/initialized`.
    public func markInitialized() {
        lock.withLock { initializedNotified = true }
    }

    /// What `initialize` agreed, or `nil` before it.
    public var current: Agreement? { lock.withLock { agreement } }

    /// Whether the client has sent `notifications/initialized`.
    public var isInitializedNotified: Bool { lock.withLock { initializedNotified } }

    /// The actor recorded on the audit entries of a client's writes: `--actor`, else
    /// `mcp:<clientInfo.name>` (`mcp:unknown` for a client that gave no name).
    public func actor(forClient clientName: String?) -> String {
        if let fixedActor, !fixedActor.isEmpty { return fixedActor }
        let name = clientName.map { String($0.prefix(100)) } ?? ""
        return "mcp:" + (name.isEmpty ? "unknown" : name)
    }

    // MARK: - Logging

    /// The least severe level the client wants as `notifications/message` (`info` until it
    /// sends `logging/setLevel`).
    public var logLevel: MCPLogLevel {
        get { lock.withLock { level } }
        set { lock.withLock { level = newValue } }
    }
}
