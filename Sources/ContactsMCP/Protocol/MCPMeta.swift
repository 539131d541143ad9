public import JSONCore

/// The `_meta` keys of the stateless revision (`2026-07-28`): what every request says about
/// itself instead of an `initialize` handshake.
public enum MCPMeta {
    /// The request's protocol revision.
    public static let protocolVersion = "io.modelcontextprotocol/protocolVersion"
    /// The client's `{ name, version }`.
    public static let clientInfo = "io.modelcontextprotocol/clientInfo"
    /// The least severe log level the request wants as `notifications/message` (absent: none).
    public static let logLevel = "io.modelcontextprotocol/logLevel"
    /// The server's `{ name, version }` in the `server/discover` result.
    public static let serverInfo = "io.modelcontextprotocol/serverInfo"

    /// `params._meta[key]`.
    public static func value(_ key: String, in params: JSONValue?) -> JSONValue? {
        params?["_meta"]?[key]
    }
}
