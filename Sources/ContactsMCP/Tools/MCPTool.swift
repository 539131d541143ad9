public import ContactsGateway
public import JSONCore

/// One gateway method served as an MCP tool: its tool name, the params an agent may send, and
/// its `tools/list` entry, all derived from the method's ``MethodDescriptor``.
public struct MCPTool: Sendable {
    /// The tool name: the method name with `.` replaced by `_` (`contacts.get` → `contacts_get`).
    public let name: String
    /// The method it calls.
    public let descriptor: MethodDescriptor
    /// The params an agent may send: the method's, less ``ToolCatalog/withheldParams``.
    public let params: [ParamSpec]
    /// The `inputSchema`: the method's params schema, self-contained.
    public let inputSchema: JSONValue
    /// The `outputSchema`: the method's result schema, self-contained; `nil` when it is not an
    /// object schema (MCP requires `type: object`).
    public let outputSchema: JSONValue?

    /// The tool for `descriptor`, its schemas resolved with `resolver`.
    public init(descriptor: MethodDescriptor, resolver: SchemaResolver) {
        name = ToolCatalog.toolName(forMethod: descriptor.name)
        self.descriptor = descriptor
        params = descriptor.params.filter { !ToolCatalog.withheldParams.contains($0.name) }
        inputSchema = resolver.resolve(Self.withoutWithheldParams(descriptor.paramsSchema))
        let output = resolver.resolve(descriptor.result.schema)
        outputSchema = output["type"]?.stringValue == "object" ? output : nil
    }

    /// The entry `tools/list` returns.
    public var definition: JSONValue {
        var tool: JSONObject = [
            "name": .string(name),
            "title": .string(descriptor.name),
            "description": .string(description),
            "inputSchema": inputSchema,
        ]
        if let outputSchema { tool["outputSchema"] = outputSchema }
        tool["annotations"] = [
            "title": .string(descriptor.name),
            "readOnlyHint": .bool(descriptor.hints.readOnly),
            "destructiveHint": .bool(descriptor.hints.destructive),
            "idempotentHint": .bool(descriptor.hints.idempotent),
            // One Wix site (or the local store), not an open world of external entities.
            "openWorldHint": false,
        ]
        return .object(tool)
    }

    /// The summary, what a change leaves behind, and the errors to expect: what an agent needs
    /// to choose the tool and to recover.
    private var description: String {
        var text = descriptor.summary
        if !descriptor.hints.readOnly {
            text += " Every change is recorded in the audit log and can be undone with contacts_undo."
        }
        if !descriptor.errors.isEmpty {
            text += " Fails (isError) with: " + descriptor.errors.joined(separator: ", ") + "."
        }
        return text
    }

    private static func withoutWithheldParams(_ schema: JSONValue) -> JSONValue {
        guard case .object(var members) = schema else { return schema }
        if case .object(let properties)? = members["properties"] {
            var kept = JSONObject()
            for (key, value) in properties where !ToolCatalog.withheldParams.contains(key) {
                kept.appendUnchecked(key, value)
            }
            members["properties"] = .object(kept)
        }
        if case .array(let required)? = members["required"] {
            let kept = required.filter { !ToolCatalog.withheldParams.contains($0.stringValue ?? "") }
            members["required"] = kept.isEmpty ? nil : .array(kept)
        }
        return .object(members)
    }
}
