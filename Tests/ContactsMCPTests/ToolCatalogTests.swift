import ContactsGateway
import ContactsMCP
import Foundation
import JSONCore
import Testing

@Suite struct ToolCatalogTests {
    @Test func everyContactMethodIsAToolAndTheInternalsAreNot() throws {
        let mcp = try TestMCPServer()
        let names = Set(mcp.server.tools.tools.map(\.name))
        #expect(
            names.isSuperset(of: [
                "contacts_get", "contacts_query", "contacts_create", "contacts_update", "contacts_forceUpdate",
                "contacts_undo", "audit_history", "audit_get", "labels_list",
            ]))
        #expect(!names.contains("rpc_discover"))
        #expect(!names.contains("gateway_status"))
        // Generated, not listed: every method outside the excluded prefixes is a tool.
        let expected = mcp.server.methods.methodNames.filter(ToolCatalog.isTool).map(ToolCatalog.toolName(forMethod:))
        #expect(names == Set(expected))
    }

    @Test func schemasAreSelfContainedObjects() throws {
        let mcp = try TestMCPServer()
        for tool in mcp.server.tools.tools {
            #expect(!SchemaResolver.containsReference(tool.inputSchema), "\(tool.name)")
            #expect(tool.inputSchema["type"] == "object", "\(tool.name)")
            let output = try #require(tool.outputSchema, "\(tool.name)")
            #expect(!SchemaResolver.containsReference(output), "\(tool.name)")
            #expect(output["type"] == "object", "\(tool.name)")
        }
        let update = try #require(mcp.server.tools.tool(named: "contacts_update"))
        #expect(update.inputSchema["properties"]?["info"]?["properties"]?["emails"] != nil)
        #expect(update.outputSchema?["properties"]?["contact"]?["properties"]?["revision"] == ["type": "integer"])
    }

    @Test func annotationsFollowTheMethodHints() throws {
        let mcp = try TestMCPServer()
        for tool in mcp.server.tools.tools {
            let annotations = tool.definition["annotations"]
            #expect(annotations?["readOnlyHint"] == .bool(tool.descriptor.hints.readOnly), "\(tool.name)")
            #expect(annotations?["destructiveHint"] == .bool(tool.descriptor.hints.destructive), "\(tool.name)")
            #expect(annotations?["idempotentHint"] == .bool(tool.descriptor.hints.idempotent), "\(tool.name)")
        }
        #expect(mcp.server.tools.tool(named: "contacts_get")?.definition["annotations"]?["readOnlyHint"] == true)
        #expect(mcp.server.tools.tool(named: "contacts_update")?.definition["annotations"]?["readOnlyHint"] == false)
    }

    @Test func theActorIsWithheldFromAgents() throws {
        let mcp = try TestMCPServer()
        let update = try #require(mcp.server.tools.tool(named: "contacts_update"))
        #expect(update.descriptor.params.contains { $0.name == "actor" })
        #expect(update.inputSchema["properties"]?["actor"] == nil)
        #expect(!update.params.contains { $0.name == "actor" })
    }

    // MARK: - One source of truth with rpc.discover

    @Test func toolSchemasDescribeTheSameParamsAsRPCDiscover() async throws {
        let mcp = try TestMCPServer()
        let document = try await mcp.server.methods.call(
            "rpc.discover", params: nil, context: RequestContext(actor: nil, requestId: nil))
        try expectToolsMatch(document, mcp.server.tools)
    }

    @Test func toolSchemasDescribeTheSameParamsAsTheCommittedOpenRPCDocument() throws {
        let mcp = try TestMCPServer()
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/openrpc.json")
        let document = try JSONValue.parse(try String(contentsOf: path, encoding: .utf8))
        try expectToolsMatch(document, mcp.server.tools)
    }

    /// Every tool has a method in `document` whose params, resolved against the document's own
    /// components, are exactly the tool's `inputSchema` (less the withheld `actor`), and whose
    /// result schema is its `outputSchema`; every method of the document that is a tool is one.
    private func expectToolsMatch(_ document: JSONValue, _ catalog: ToolCatalog) throws {
        let resolver = SchemaResolver(components: document["components"]?["schemas"]?.objectValue ?? JSONObject())
        let methods = document["methods"]?.arrayValue ?? []
        let documentedTools = methods.compactMap { $0["name"]?.stringValue }.filter(ToolCatalog.isTool)
        #expect(Set(documentedTools.map(ToolCatalog.toolName(forMethod:))) == Set(catalog.tools.map(\.name)))
        for method in methods {
            let name = try #require(method["name"]?.stringValue)
            guard let tool = catalog.tool(named: ToolCatalog.toolName(forMethod: name)) else { continue }
            var properties = JSONObject()
            var required: [JSONValue] = []
            for param in method["params"]?.arrayValue ?? [] {
                let paramName = try #require(param["name"]?.stringValue)
                guard !ToolCatalog.withheldParams.contains(paramName) else { continue }
                var schema = try #require(param["schema"]?.objectValue)
                if !schema.contains("description") { schema["description"] = param["summary"] }
                properties[paramName] = resolver.resolve(.object(schema))
                if param["required"] == true { required.append(.string(paramName)) }
            }
            var expected: JSONObject = ["type": "object", "properties": .object(properties)]
            if !required.isEmpty { expected["required"] = .array(required) }
            expected["additionalProperties"] = false
            #expect(tool.inputSchema == .object(expected), "\(name)")
            #expect(tool.outputSchema == resolver.resolve(method["result"]?["schema"] ?? .null), "\(name)")
        }
    }
}
