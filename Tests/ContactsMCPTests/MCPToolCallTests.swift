import ContactsGateway
import ContactsMCP
import JSONCore
import JSONRPC
import Testing

@Suite struct MCPToolCallTests {
    @Test func aCallReturnsStructuredContentAndAShortText() async throws {
        let mcp = try TestMCPServer()
        try await mcp.initialize()
        let result = try await mcp.callTool(
            "contacts_create", ["info": ["name": ["first": "Ada", "last": "Lovelace"]]])
        #expect(result["isError"] == false)
        let contact = try #require(result["structuredContent"]?["contact"])
        #expect(contact["revision"] == 1)
        let summary = try #require(result["content"]?.arrayValue?.first?["text"]?.stringValue)
        #expect(summary.hasPrefix("contacts.create: contact "))
        #expect(summary.contains("\"Ada Lovelace\" is at revision 1"))
        // The JSON text, for clients that ignore structuredContent.
        let json = try #require(result["content"]?.arrayValue?.last?["text"]?.stringValue)
        #expect(try JSONValue.parse(json)["contact"]?["id"] == contact["id"])
    }

    @Test func aStaleRevisionIsAnErrorResultWithTheCodeAndTheNextStep() async throws {
        let mcp = try TestMCPServer()
        try await mcp.initialize()
        let contact = try await mcp.createContact(first: "Ada")
        let id = try #require(contact["id"])
        _ = try await mcp.callTool("contacts_update", ["contactId": id, "revision": 1, "info": ["company": "Wix"]])

        let stale = try await mcp.callTool(
            "contacts_update", ["contactId": id, "revision": 1, "info": ["company": "Acme"]])

        #expect(stale["isError"] == true)
        let error = try #require(stale["structuredContent"]?["error"])
        #expect(error["applicationCode"] == "CONTACT_ALREADY_CHANGED")
        #expect(error["currentRevision"] == 2)
        #expect(error["nextStep"]?.stringValue?.contains("contacts_forceUpdate") == true)
        let text = try #require(stale["content"]?.arrayValue?.first?["text"]?.stringValue)
        #expect(text.hasPrefix("CONTACT_ALREADY_CHANGED:"))
        #expect(text.contains("currentRevision: 2"))
    }

    @Test func badArgumentsAreAnErrorResultNamingTheField() async throws {
        let mcp = try TestMCPServer()
        try await mcp.initialize()
        let result = try await mcp.callTool("contacts_get", ["contactId": 7])
        #expect(result["isError"] == true)
        #expect(result["structuredContent"]?["error"]?["field"] == "contactId")
    }

    @Test func anUnknownToolIsAProtocolError() async throws {
        let mcp = try TestMCPServer()
        try await mcp.initialize()
        let error = await mcp.failure("tools/call", ["name": "contacts_explode", "arguments": [:]])
        #expect(error?.code == .invalidParams)
    }

    @Test func writesAreRecordedUnderTheClientsName() async throws {
        let mcp = try TestMCPServer()
        try await mcp.initialize(client: "claude-desktop")
        let contact = try await mcp.createContact(first: "Ada")
        let history = try await mcp.callTool("audit_history", ["contactId": contact["id"] ?? .null])
        #expect(history["structuredContent"]?["entries"]?.arrayValue?.first?["actor"] == "mcp:claude-desktop")
    }

    @Test func theActorOptionWinsAndAgentsCannotNameTheirOwn() async throws {
        let mcp = try TestMCPServer(actor: "alice")
        try await mcp.initialize(client: "claude-desktop")
        let contact = try await mcp.createContact(first: "Ada")
        let spoofed = try await mcp.callTool(
            "contacts_update",
            ["contactId": contact["id"] ?? .null, "revision": 1, "info": ["company": "Wix"], "actor": "bob"])
        #expect(spoofed["isError"] == true)
        #expect(spoofed["structuredContent"]?["error"]?["field"] == "actor")
        let history = try await mcp.callTool("audit_history", ["contactId": contact["id"] ?? .null])
        let actors = history["structuredContent"]?["entries"]?.arrayValue?.compactMap { $0["actor"]?.stringValue }
        #expect(actors == ["alice"])
    }

    @Test func undoRevertsTheAgentsChange() async throws {
        let mcp = try TestMCPServer()
        try await mcp.initialize()
        let contact = try await mcp.createContact(first: "Ada")
        let id = contact["id"] ?? .null
        _ = try await mcp.callTool("contacts_forceUpdate", ["contactId": id, "info": ["company": "Wix"]])
        let undo = try await mcp.callTool("contacts_undo", ["contactId": id])
        #expect(undo["isError"] == false)
        #expect(undo["structuredContent"]?["contact"]?["info"]?["company"] == nil)
        #expect(undo["structuredContent"]?["undid"] == 2)
    }

    @Test func toolCallsAreOrderedByTheirContact() async throws {
        let mcp = try TestMCPServer()
        let keys = mcp.server.orderingKeys(
            for: RPCRequest(
                id: 1, method: "tools/call", params: ["name": "contacts_update", "arguments": ["contactId": "c-1"]]))
        #expect(keys == ["contact:c-1"])
        let read = mcp.server.orderingKeys(
            for: RPCRequest(id: 2, method: "resources/read", params: ["uri": "audit://c-1"]))
        #expect(read == ["contact:c-1"])
    }
}

@Suite struct ResultSummaryTests {
    @Test func aResultOfAnUnknownShapeIsSummarisedMemberByMember() async throws {
        let mcp = try TestMCPServer()
        try await mcp.initialize()
        _ = try await mcp.createContact(first: "Ada")
        let result = try await mcp.callTool("audit_verify", [:])
        let summary = try #require(result["content"]?.arrayValue?.first?["text"]?.stringValue)
        #expect(summary.hasPrefix("audit.verify: ok true; entries 1; headHash "))
    }
}
