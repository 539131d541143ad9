/// The MCP protocol revisions this server speaks.
///
/// The official Python SDK (`mcp` 2.3.0) first probes `server/discover` at its newest revision,
/// `2026-07-28` (stateless: each request carries the revision, client info and log level in
/// `_meta`, no `initialize`); a server that does not answer the probe gets the `initialize`
/// handshake at `2025-11-25`. This server speaks both eras: `2026-07-28` per request, and
/// `2025-11-25` and `2025-06-18` by handshake.
///
/// ```swift
/// MCPProtocolVersion.negotiate("2025-06-18")   // "2025-06-18": served as asked
/// MCPProtocolVersion.negotiate("2099-01-01")   // "2025-11-25": our latest, the client decides
/// ```
public enum MCPProtocolVersion {
    /// The stateless revisions, where every request names its revision in `_meta`.
    public static let stateless = ["2026-07-28"]
    /// The revisions served through the `initialize` handshake, newest first.
    public static let handshake = ["2025-11-25", "2025-06-18"]
    /// The newest handshake revision.
    public static let latestHandshake = handshake[0]
    /// Every revision served, newest first (what `server/discover` lists).
    public static var supported: [String] { stateless + handshake }

    /// The revision to answer `initialize` with: the client's when it is a handshake revision
    /// served here, else ``latestHandshake`` (the client then disconnects if it cannot speak it,
    /// as the MCP lifecycle prescribes).
    public static func negotiate(_ requested: String) -> String {
        handshake.contains(requested) ? requested : latestHandshake
    }
}
