import ContactsMCP
import JSONCore
import JSONRPC
import Testing

@Suite struct MCPResourceTests {
    @Test func bothTemplatesAreListed() async throws {
        let mcp = try TestMCPServer()
        try await mcp.initialize()
        let result = try await mcp.request("resources/templates/list")
        let templates = result["resourceTemplates"]?.arrayValue?.compactMap { $0["uriTemplate"]?.stringValue }
        #expect(templates == ["contact://{contactId}", "audit://{contactId}"])
    }

    @Test func aContactIsReadAsJSON() async throws {
        let mcp = try TestMCPServer()
        try await mcp.initialize()
        let contact = try await mcp.createContact(first: "Ada")
        let uri = "contact://" + (contact["id"]?.stringValue ?? "")
        let result = try await mcp.request("resources/read", ["uri": .string(uri)])
        let content = try #require(result["contents"]?.arrayValue?.first)
        #expect(content["mimeType"] == "application/json")
        #expect(try JSONValue.parse(content["text"]?.stringValue ?? "")["id"] == contact["id"])
    }

    @Test func aHistoryIsReadAsGitLogTextAndJSON() async throws {
        let mcp = try TestMCPServer()
        try await mcp.initialize(client: "claude")
        let contact = try await mcp.createContact(first: "Ada")
        let id = contact["id"]?.stringValue ?? ""
        _ = try await mcp.callTool(
            "contacts_update", ["contactId": .string(id), "revision": 1, "info": ["company": "Wix"]])

        let result = try await mcp.request("resources/read", ["uri": .string("audit://" + id)])

        let contents = result["contents"]?.arrayValue ?? []
        #expect(contents.map { $0["mimeType"]?.stringValue } == ["text/plain", "application/json"])
        let text = contents.first?["text"]?.stringValue ?? ""
        #expect(text.contains("audit 2  update  revision 1 -> 2"))
        #expect(text.contains("Actor:  mcp:claude"))
        #expect(text.contains("changed info.company"))
        let json = try JSONValue.parse(contents.last?["text"]?.stringValue ?? "")
        #expect(json["entries"]?.arrayValue?.count == 2)
    }

    @Test func anUnknownContactOrSchemeIsResourceNotFound() async throws {
        let mcp = try TestMCPServer()
        try await mcp.initialize()
        for uri in ["contact://nope", "audit://nope", "file:///etc/passwd"] {
            let error = await mcp.failure("resources/read", ["uri": .string(uri)])
            #expect(error?.code == MCPErrors.resourceNotFoundCode, "\(uri)")
            #expect(error?.data?["uri"] == .string(uri))
        }
    }

    @Test func listPagesThroughTheContactsNewestFirst() async throws {
        let mcp = try TestMCPServer()
        try await mcp.initialize()
        _ = try await mcp.createContact(first: "Ada")
        let newest = try await mcp.createContact(first: "Grace")
        let result = try await mcp.request("resources/list")
        let resources = result["resources"]?.arrayValue ?? []
        #expect(resources.count == 2)
        #expect(resources.first?["uri"] == .string("contact://" + (newest["id"]?.stringValue ?? "")))
        #expect(resources.first?["title"] == "Grace")
        #expect(result["nextCursor"] == nil)
    }
}
