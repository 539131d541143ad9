public import JSONCore

/// Makes a JSON Schema self-contained: every `$ref` to `#/components/schemas/<Name>` (the OpenRPC
/// document's shared schemas) is replaced by that schema, recursively.
///
/// MCP clients validate a tool's `inputSchema` and `outputSchema` on their own, with no
/// document around them to resolve a reference against, so a tool's schemas carry everything.
///
/// ```swift
/// let resolver = SchemaResolver(components: ["Contact": ["type": "object"]])
/// resolver.resolve(["$ref": "#/components/schemas/Contact"])   // {"type": "object"}
/// ```
public struct SchemaResolver: Sendable {
    /// The prefix of the references it resolves.
    public static let componentPrefix = "#/components/schemas/"

    private let components: JSONObject

    /// A resolver for references into `components` (name → schema).
    public init(components: JSONObject) {
        self.components = components
    }

    /// `schema` with every resolvable `$ref` inlined; members beside a `$ref` (such as a
    /// `description`) are kept over the inlined schema's. A reference to an unknown name, or one
    /// that refers back to a schema being inlined (which would never end), is left as it is.
    public func resolve(_ schema: JSONValue) -> JSONValue {
        resolve(schema, inlining: [])
    }

    private func resolve(_ schema: JSONValue, inlining: Set<String>) -> JSONValue {
        switch schema {
        case .object(let members):
            if let reference = members["$ref"]?.stringValue, reference.hasPrefix(Self.componentPrefix) {
                let name = String(reference.dropFirst(Self.componentPrefix.count))
                guard !inlining.contains(name), case .object(var target)? = components[name] else { return schema }
                // Members beside the reference (a param's `description`) annotate it: they are
                // kept, over the target's own.
                for (key, value) in members where key != "$ref" { target[key] = value }
                return resolve(.object(target), inlining: inlining.union([name]))
            }
            var resolved = JSONObject()
            for (key, value) in members { resolved.appendUnchecked(key, resolve(value, inlining: inlining)) }
            return .object(resolved)
        case .array(let items):
            return .array(items.map { resolve($0, inlining: inlining) })
        default:
            return schema
        }
    }

    /// Whether `schema` still holds a `$ref` anywhere.
    public static func containsReference(_ schema: JSONValue) -> Bool {
        switch schema {
        case .object(let members):
            return members.contains("$ref") || members.contains { containsReference($0.value) }
        case .array(let items):
            return items.contains(where: containsReference)
        default:
            return false
        }
    }
}
