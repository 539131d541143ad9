/// The MCP protocol revisions this server speaks over the `initialize` handshake.
///
/// `2025-11-25` is the revision the official Python SDK (`mcp` 2.3.0) offers in its handshake;
/// `2025-06-18` is the one before it. (The SDK's stateless `2026-07-28` era starts with a
/// `server/discover` probe; this server answers that probe with `-32601`, and the SDK then falls
/// back to the handshake.)
///
/// ```swift
/// MCPProtocolVersion.negotiate("2025-06-18")   // "2025-06-18": served as asked
/// MCPProtocolVersion.negotiate("2099-01-01")   // "2025-11-25": our latest, the client decides
/// ```
public enum MCPProtocolVersion {
    /// The newest revision served.
    public static let latest = "2025-11-25"
    /// Every revision served, newest first.
    public static let supported = [latest, "2025-06-18"]

    /// The revision to answer `initialize` with: the client's when served, else ``latest`` (the
    /// client then disconnects if it cannot speak it, as the MCP lifecycle prescribes).
    public static func negotiate(_ requested: String) -> String {
        supported.contains(requested) ? requested : latest
    }
}
