public import JSONCore
import JSONRPC

/// One JSON-RPC method: its params, what it returns and which errors it may answer with.
/// The dispatcher validates params from ``params`` and `rpc.discover` publishes the same
/// descriptors, so the document and the behaviour cannot drift apart.
public struct MethodDescriptor: Sendable {
    /// The method name, such as `contacts.update`.
    public let name: String
    /// One line for the OpenRPC document.
    public let summary: String
    /// The params it accepts.
    public let params: [ParamSpec]
    /// The result's name and JSON Schema.
    public let result: (name: String, schema: JSONValue)
    /// The application error codes (Wix codes) it may answer with.
    public let errors: [String]
    /// Requests naming the same value of this param are applied in arrival order.
    let orderingParam: String?
    let handler: @Sendable (Params, RequestContext) async throws -> JSONValue
}

extension MethodDescriptor {
    /// The `actor` param every write method accepts.
    static let actorParam = ParamSpec.optional("actor", .string, "Who makes the change, for the audit log.")
    /// The `contactId` param.
    static let contactIdParam = ParamSpec.required("contactId", .string, "The contact's id.")
    /// The `info` param.
    static let infoParam = ParamSpec.required(
        "info", .object, "A partial ContactInfo: fields sent replace the stored ones whole.",
        schema: ["$ref": "#/components/schemas/ContactInfo"])
    /// The `allowDuplicates` param.
    static let allowDuplicatesParam = ParamSpec.optional(
        "allowDuplicates", .boolean, "Succeed even if an email or phone is used by another contact (default false).")
}
