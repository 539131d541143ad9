import ContactsGateway
import JSONCore
import JSONRPC

/// Starting a conversation: the `initialize` handshake, and `server/discover` for the
/// stateless revision.
extension MCPServer {
    /// `initialize`: agrees a handshake revision and records the client.
    func initialize(_ params: JSONValue?) throws(ResponseError) -> JSONValue {
        let agreement = try session.initialize(params)
        return [
            "protocolVersion": .string(agreement.protocolVersion),
            "capabilities": Self.capabilities,
            "serverInfo": Self.serverInfo,
            "instructions": .string(Self.instructions),
        ]
    }

    /// `server/discover`: what a stateless-revision client learns instead of a handshake. Its
    /// `_meta` names the revision the client proposes; one not served is `-32022` listing ours,
    /// and the client falls back to `initialize` when none of them is stateless.
    func discover(_ params: JSONValue?) throws(ResponseError) -> JSONValue {
        let requested = MCPMeta.value(MCPMeta.protocolVersion, in: params)?.stringValue ?? ""
        guard MCPProtocolVersion.stateless.contains(requested) else {
            throw MCPErrors.unsupportedProtocolVersion(requested)
        }
        return [
            "supportedVersions": .array(MCPProtocolVersion.supported.map { .string($0) }),
            "capabilities": Self.capabilities,
            "instructions": .string(Self.instructions),
            "resultType": "complete",
            "cacheScope": "public",
            "ttlMs": 0,
            "_meta": [MCPMeta.serverInfo: Self.serverInfo],
        ]
    }

    static let capabilities: JSONValue = [
        "tools": ["listChanged": false],
        "resources": ["subscribe": false, "listChanged": false],
        "logging": [:],
    ]

    static var serverInfo: JSONValue {
        ["name": .string(serverName), "title": "Wix Contacts gateway", "version": .string(GatewayMethods.version)]
    }

    /// What the server tells the agent about using the tools well.
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
