public import JSONCore

/// What a method returns: a name for the result and its JSON Schema (schemas may refer to the
/// shared components, `#/components/schemas/Contact`).
public struct ResultSpec: Sendable {
    /// The result's name, such as `UpdateResult`.
    public let name: String
    /// Its JSON Schema.
    public let schema: JSONValue

    /// A result named `name` with `schema`.
    public init(_ name: String, _ schema: JSONValue) {
        self.name = name
        self.schema = schema
    }
}
