import ContactsMCP
import JSONCore
import JSONRPC
import Testing

/// The stateless revision (`2026-07-28`): `server/discover` instead of `initialize`, and every
/// request naming its revision and client in `_meta`.
@Suite struct MCPStatelessRevisionTests {
    private static func meta(client: String = "agent-x", logLevel: String? = nil) -> JSONValue {
        var meta: JSONObject = [
            MCPMeta.protocolVersion: "2026-07-28", MCPMeta.clientInfo: ["name": .string(client), "version": "2.0"],
        ]
        if let logLevel { meta[MCPMeta.logLevel] = .string(logLevel) }
        return .object(meta)
    }

    @Test func discoverListsEveryRevisionAndTheCapabilities() async throws {
        let mcp = try TestMCPServer()
        let result = try await mcp.request("server/discover", ["_meta": Self.meta()])
        #expect(result["supportedVersions"] == ["2026-07-28", "2025-11-25", "2025-06-18"])
        #expect(result["capabilities"]?["tools"] != nil)
        #expect(result["resultType"] == "complete")
        #expect(result["cacheScope"] == "public")
        #expect(result["ttlMs"] == 0)
        #expect(result["_meta"]?[MCPMeta.serverInfo]?["name"] == "contacts-gateway")
    }

    @Test func anUnservedRevisionIsUnsupportedProtocolVersionListingOurs() async throws {
        let mcp = try TestMCPServer()
        let discover = await mcp.failure("server/discover", ["_meta": [MCPMeta.protocolVersion: "2099-01-01"]])
        #expect(discover?.code == MCPErrors.unsupportedProtocolVersionCode)
        #expect(discover?.data?["supported"]?.arrayValue?.count == MCPProtocolVersion.supported.count)
        #expect(discover?.data?["requested"] == "2099-01-01")
        let request = await mcp.failure("tools/list", ["_meta": [MCPMeta.protocolVersion: "2099-01-01"]])
        #expect(request?.code == MCPErrors.unsupportedProtocolVersionCode)
    }

    @Test func requestsNeedNoHandshakeAndRecordTheirClientAsTheActor() async throws {
        let mcp = try TestMCPServer()
        let created = try await mcp.request(
            "tools/call",
            ["name": "contacts_create", "arguments": ["info": ["name": ["first": "Ada"]]], "_meta": Self.meta()])
        #expect(created["resultType"] == "complete")
        #expect(created["isError"] == false)
        let id = created["structuredContent"]?["contact"]?["id"] ?? .null
        let history = try await mcp.request(
            "tools/call",
            ["name": "audit_history", "arguments": ["contactId": id], "_meta": Self.meta(client: "other")])
        #expect(history["structuredContent"]?["entries"]?.arrayValue?.first?["actor"] == "mcp:agent-x")
    }

    @Test func listsAndReadsSayHowTheyMayBeCached() async throws {
        let mcp = try TestMCPServer()
        let tools = try await mcp.request("tools/list", ["_meta": Self.meta()])
        #expect(tools["cacheScope"] == "public")
        #expect(tools["ttlMs"] == 0)
        #expect(tools["resultType"] == "complete")
        let resources = try await mcp.request("resources/list", ["_meta": Self.meta()])
        #expect(resources["cacheScope"] == "private")
    }

    @Test func handshakeResultsKeepTheirShape() async throws {
        let mcp = try TestMCPServer()
        try await mcp.initialize()
        let tools = try await mcp.request("tools/list")
        #expect(tools["resultType"] == nil)
        #expect(tools["cacheScope"] == nil)
    }
}
