public import JSONRPC

/// The protocol errors (JSON-RPC `error` responses) an MCP server sends, in one place.
///
/// Application failures of a tool are not among them: those are tool results with
/// `isError: true` (see ``ToolResult``), so the agent reads them and can act.
public enum MCPErrors {
    /// `-32002`, MCP's "resource not found", with the URI in `data.uri`.
    public static let resourceNotFoundCode: ErrorCode = -32002

    /// `-32022`, MCP's "unsupported protocol version", with the served revisions in `data`.
    public static let unsupportedProtocolVersionCode: ErrorCode = -32022

    /// A request named a revision that is not served.
    public static func unsupportedProtocolVersion(_ requested: String) -> ResponseError {
        ResponseError(
            code: unsupportedProtocolVersionCode,
            message: "Protocol version '\(requested)' is not supported.",
            data: [
                "supported": .array(MCPProtocolVersion.supported.map { .string($0) }), "requested": .string(requested),
            ])
    }

    /// A request other than `initialize` or `ping` came before `initialize`.
    public static func notInitialized(_ method: String) -> ResponseError {
        .invalidRequest("Send initialize before '\(method)'.")
    }

    /// A second `initialize` on one connection.
    public static func alreadyInitialized() -> ResponseError {
        .invalidRequest("The session is already initialized.")
    }

    /// `tools/call` named a tool that does not exist.
    public static func unknownTool(_ name: String) -> ResponseError {
        .invalidParams("Unknown tool '\(name)'; tools/list names every tool.", data: ["tool": .string(name)])
    }

    /// The request's params lack `member` or have it of the wrong type.
    public static func badParam(_ member: String, _ expectation: String) -> ResponseError {
        .invalidParams("Param '\(member)' must be \(expectation).", data: ["field": .string(member)])
    }

    /// No resource at `uri`.
    public static func resourceNotFound(_ uri: String) -> ResponseError {
        ResponseError(code: resourceNotFoundCode, message: "No resource at '\(uri)'.", data: ["uri": .string(uri)])
    }
}
