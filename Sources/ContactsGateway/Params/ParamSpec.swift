public import JSONCore

/// The declared type of one method parameter; used both to validate requests and to describe
/// them in the OpenRPC document, so the two cannot drift apart.
public enum ParamType: Sendable {
    /// A non-empty string.
    case string
    /// An integer within bounds.
    case integer(minimum: Int, maximum: Int)
    /// `true` or `false`.
    case boolean
    /// A JSON object (checked further by the method).
    case object
    /// A JSON array (checked further by the method).
    case array
    /// One of these strings.
    case enumeration([String])

    /// A JSON Schema for the type.
    public var schema: JSONValue {
        switch self {
        case .string: return ["type": "string", "minLength": 1]
        case .integer(let minimum, let maximum):
            return ["type": "integer", "minimum": .int(minimum), "maximum": .int(maximum)]
        case .boolean: return ["type": "boolean"]
        case .object: return ["type": "object"]
        case .array: return ["type": "array"]
        case .enumeration(let values): return ["type": "string", "enum": .array(values.map { .string($0) })]
        }
    }
}

/// One parameter of a method: validated by ``MethodParams`` and published by every front end
/// (the OpenRPC document, a tool's input schema) from the same spec.
public struct ParamSpec: Sendable {
    /// The member name in `params`.
    public let name: String
    /// Its type.
    public let type: ParamType
    /// Whether it must be present.
    public let required: Bool
    /// One line for the OpenRPC document.
    public let summary: String
    /// A schema to publish instead of the type's own (for objects with a known shape).
    public let schemaOverride: JSONValue?

    /// The JSON Schema published for the param: ``schemaOverride`` when set, else the type's.
    public var schema: JSONValue { schemaOverride ?? type.schema }

    /// A parameter; `schema` replaces the type's own schema in descriptions (for objects with a
    /// known shape).
    public init(name: String, type: ParamType, required: Bool, summary: String, schema: JSONValue? = nil) {
        self.name = name
        self.type = type
        self.required = required
        self.summary = summary
        self.schemaOverride = schema
    }

    /// A required parameter.
    public static func required(_ name: String, _ type: ParamType, _ summary: String, schema: JSONValue? = nil)
        -> ParamSpec
    {
        ParamSpec(name: name, type: type, required: true, summary: summary, schema: schema)
    }

    /// An optional parameter.
    public static func optional(_ name: String, _ type: ParamType, _ summary: String, schema: JSONValue? = nil)
        -> ParamSpec
    {
        ParamSpec(name: name, type: type, required: false, summary: summary, schema: schema)
    }
}
