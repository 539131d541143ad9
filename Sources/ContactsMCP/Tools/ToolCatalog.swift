public import ContactsGateway
import Foundation
public import JSONCore

/// The MCP tools of a gateway: one per method a person would ask an agent for, generated from
/// the method descriptors, so a method added to the gateway becomes a tool with no change here.
///
/// ```swift
/// let catalog = ToolCatalog(methods: methods)
/// catalog.tool(named: "contacts_update")?.descriptor.name   // "contacts.update"
/// ```
public struct ToolCatalog: Sendable {
    /// Method name prefixes that are not tools: the protocol's discovery document and the
    /// gateway's own status, which say nothing about contacts.
    public static let excludedPrefixes = ["rpc.", "gateway."]
    /// Params an agent may not send. `actor`: an agent's writes are recorded under the
    /// connection's actor (`--actor`, else `mcp:<client name>`), not a name the agent picks.
    public static let withheldParams: Set<String> = ["actor"]

    /// Every tool, sorted by name.
    public let tools: [MCPTool]
    private let byName: [String: MCPTool]

    /// The tools of `methods`.
    public init(methods: GatewayMethods) {
        let resolver = SchemaResolver(components: Self.componentSchemas)
        tools = methods.methodNames.filter(Self.isTool).compactMap(methods.descriptor(named:))
            .map { MCPTool(descriptor: $0, resolver: resolver) }
            .sorted { $0.name < $1.name }
        byName = Dictionary(uniqueKeysWithValues: tools.map { ($0.name, $0) })
    }

    /// The tool named `name`, if there is one.
    public func tool(named name: String) -> MCPTool? { byName[name] }

    /// `contacts.get` → `contacts_get`: MCP clients expect tool names without dots.
    public static func toolName(forMethod method: String) -> String {
        method.replacingOccurrences(of: ".", with: "_")
    }

    /// Whether the method named `method` is served as a tool.
    public static func isTool(_ method: String) -> Bool {
        !excludedPrefixes.contains { method.hasPrefix($0) }
    }

    /// The shared schemas the descriptors refer to (`#/components/schemas/...`), from the
    /// OpenRPC document's own components, so tools and `rpc.discover` resolve alike.
    public static var componentSchemas: JSONObject {
        OpenRPCDocument.make(methods: [])["components"]?["schemas"]?.objectValue ?? JSONObject()
    }
}
