import ContactsMCP
import JSONCore
import JSONRPC
import Testing

@Suite struct MCPLifecycleTests {
    @Test func initializeAnswersTheRequestedVersionWhenServed() async throws {
        for version in MCPProtocolVersion.handshake {
            let mcp = try TestMCPServer()
            let result = try await mcp.initialize(version: version)
            #expect(result["protocolVersion"] == .string(version))
            #expect(result["capabilities"]?["tools"] != nil)
            #expect(result["capabilities"]?["resources"] != nil)
            #expect(result["capabilities"]?["logging"] != nil)
            #expect(result["serverInfo"]?["name"] == "contacts-gateway")
        }
    }

    @Test func anUnknownVersionIsAnsweredWithTheLatest() async throws {
        let mcp = try TestMCPServer()
        let result = try await mcp.initialize(version: "2099-01-01")
        #expect(result["protocolVersion"] == .string(MCPProtocolVersion.latestHandshake))
    }

    @Test func requestsBeforeInitializeAreRefusedButPingIsAnswered() async throws {
        let mcp = try TestMCPServer()
        #expect(try await mcp.request("ping") == [:])
        let error = await mcp.failure("tools/list")
        #expect(error?.code == .invalidRequest)
    }

    @Test func aSecondInitializeIsRefused() async throws {
        let mcp = try TestMCPServer()
        try await mcp.initialize()
        let error = await mcp.failure(
            "initialize", ["protocolVersion": "2025-11-25", "capabilities": [:], "clientInfo": ["name": "again"]])
        #expect(error?.code == .invalidRequest)
    }

    @Test func loggingSetLevelValidatesTheLevel() async throws {
        let mcp = try TestMCPServer()
        try await mcp.initialize()
        #expect(try await mcp.request("logging/setLevel", ["level": "warning"]) == [:])
        #expect(mcp.server.session.logLevel == .warning)
        #expect(await mcp.failure("logging/setLevel", ["level": "loud"])?.code == .invalidParams)
    }

    @Test func cancellationUsesMCPsNotification() {
        #expect(MCPServer.cancelNotification.method == "notifications/cancelled")
        #expect(MCPServer.cancelNotification.idParam == "requestId")
    }
}
