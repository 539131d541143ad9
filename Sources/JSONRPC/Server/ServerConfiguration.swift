/// The descriptors and limits of one ``StdioServer``.
///
/// ```swift
/// let output = StandardOutputGuard.takeOverStandardOutput()
/// let configuration = ServerConfiguration(outputFD: output, maxLineBytes: 1 << 20, handlesSignals: true)
/// ```
public struct ServerConfiguration: Sendable {
    /// Where requests are read from; `0` (stdin) by default. The server never closes it.
    public var inputFD: Int32
    /// Where responses are written; usually the descriptor returned by
    /// ``StandardOutputGuard/takeOverStandardOutput()``. The server never closes it.
    public var outputFD: Int32
    /// The longest accepted line in bytes, not counting its `\n` or `\r\n`; a longer line is
    /// answered with `-32600` and skipped without being buffered. 8 MiB by default.
    public var maxLineBytes: Int
    /// How many requests may run at once; when that many are in flight the server stops reading
    /// until one finishes, so memory stays bounded. 256 by default.
    public var maxInFlight: Int
    /// Whether SIGTERM and SIGINT stop the server gracefully (and a second one exits at once).
    /// Off by default so that embedding code and tests keep control of signals.
    public var handlesSignals: Bool
    /// The notifications that cancel an in-flight request, answered by the server itself (the
    /// handler never sees them). `$/cancelRequest` `{ "id" }` by default; an MCP server uses
    /// `notifications/cancelled` `{ "requestId" }`.
    public var cancelNotifications: [CancelNotification]

    /// A configuration; only `outputFD` has no sensible default. Limits below 1 are raised to 1.
    public init(
        inputFD: Int32 = 0,
        outputFD: Int32,
        maxLineBytes: Int = 8 << 20,
        maxInFlight: Int = 256,
        handlesSignals: Bool = false,
        cancelNotifications: [CancelNotification] = [.cancelRequest]
    ) {
        self.inputFD = inputFD
        self.outputFD = outputFD
        self.maxLineBytes = max(1, maxLineBytes)
        self.maxInFlight = max(1, maxInFlight)
        self.handlesSignals = handlesSignals
        self.cancelNotifications = cancelNotifications
    }
}

/// A notification that cancels an in-flight request: its method, and the param that holds the
/// id of the request to cancel. The cancelled request is still answered (`-32800`, unless its
/// work was already done).
///
/// ```swift
/// let mcp = CancelNotification(method: "notifications/cancelled", idParam: "requestId")
/// let configuration = ServerConfiguration(outputFD: fd, cancelNotifications: [mcp])
/// ```
public struct CancelNotification: Sendable, Hashable {
    /// The notification's method name.
    public var method: String
    /// The member of its params that holds the id to cancel.
    public var idParam: String

    /// A cancel notification `method` naming the request in `params[idParam]`.
    public init(method: String, idParam: String) {
        self.method = method
        self.idParam = idParam
    }

    /// `$/cancelRequest` `{ "id": ... }`, as LSP and this server's JSON-RPC clients send it.
    public static let cancelRequest = CancelNotification(method: "$/cancelRequest", idParam: "id")
}
