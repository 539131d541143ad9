public import JSONCore

/// One method, described once for every front end: its params, what it returns, which errors it
/// may answer with, what it does to the data, how it is ordered against other requests, and
/// how to call it.
///
/// The JSON-RPC adapter (``ContactsGateway``) validates params from ``params`` and publishes the
/// same descriptors through `rpc.discover`, so the document and the behaviour cannot drift
/// apart; another front end (MCP tools) reads and calls the same descriptors.
///
/// ```swift
/// let descriptor = methods.descriptor(named: "contacts.get")!
/// let params = try MethodParams(validating: ["contactId": "c-1"], against: descriptor.params)
/// let result = try await descriptor.call(params, context: RequestContext(actor: "alice", requestId: nil))
/// ```
public struct MethodDescriptor: Sendable {
    /// Runs a method with validated params: returns its result, or throws ``InvalidParamsError``
    /// (a param the schema cannot express, such as `paging.limit`), `ContactsError`, or any other
    /// error (unexpected).
    public typealias Handler = @Sendable (MethodParams, RequestContext) async throws -> JSONValue
    /// Answers at once on the calling thread without waiting, or returns `nil` when that is not
    /// possible now (then call ``call(_:context:)``).
    public typealias ImmediateHandler = @Sendable (MethodParams) throws -> JSONValue?
    /// The ordering keys of a request, from its raw params (not yet validated).
    public typealias OrderingKeys = @Sendable (JSONValue?) -> [String]

    /// The method name, such as `contacts.update`.
    public var name: String { storage.name }
    /// One line for documents and tool lists.
    public var summary: String { storage.summary }
    /// The params it accepts.
    public var params: [ParamSpec] { storage.params }
    /// The result's name and JSON Schema.
    public var result: ResultSpec { storage.result }
    /// The application error codes (Wix codes) it may answer with.
    public var errors: [String] { storage.errors }
    /// What it does to the data.
    public var hints: MethodHints { storage.hints }

    /// Everything, behind one reference: adapters copy descriptors out of their table several
    /// times per request, and a copy should cost one retain, not one per field.
    private let storage: Storage

    private final class Storage: Sendable {
        let name: String
        let summary: String
        let params: [ParamSpec]
        let result: ResultSpec
        let errors: [String]
        let hints: MethodHints
        let keys: OrderingKeys
        let handler: Handler
        let immediateHandler: ImmediateHandler?

        init(
            name: String, summary: String, params: [ParamSpec], result: ResultSpec, errors: [String],
            hints: MethodHints, keys: @escaping OrderingKeys, immediateHandler: ImmediateHandler?,
            handler: @escaping Handler
        ) {
            self.name = name
            self.summary = summary
            self.params = params
            self.result = result
            self.errors = errors
            self.hints = hints
            self.keys = keys
            self.immediateHandler = immediateHandler
            self.handler = handler
        }
    }

    /// A method.
    ///
    /// - Parameters:
    ///   - orderingKeys: The keys that order a request against others (see
    ///     ``orderingKeys(for:)``); by default none.
    ///   - immediate: A way to answer without waiting, when the method has one.
    ///   - handler: Runs the method.
    public init(
        name: String, summary: String, params: [ParamSpec], result: ResultSpec, errors: [String],
        hints: MethodHints, orderingKeys: @escaping OrderingKeys = { _ in [] }, immediate: ImmediateHandler? = nil,
        handler: @escaping Handler
    ) {
        storage = Storage(
            name: name, summary: summary, params: params, result: result, errors: errors, hints: hints,
            keys: orderingKeys, immediateHandler: immediate, handler: handler)
    }

    // MARK: - Calling

    /// The keys that order a request with these raw params against others; empty when it needs
    /// no order.
    ///
    /// Requests sharing any key must be applied in arrival order (`contact:<id>` for each
    /// contact a request touches, so a merge names its target and its sources). Cheap enough
    /// for a transport's reader thread; it may do a short read (an undo by `auditId` looks up
    /// its contact).
    public func orderingKeys(for params: JSONValue?) -> [String] {
        storage.keys(params)
    }

    /// Runs the method with validated params and `context` as given (the context's actor is
    /// recorded: ``GatewayMethods/call(_:params:context:)`` fills it from the `actor` param and
    /// the default actor first).
    ///
    /// - Throws: ``InvalidParamsError``, `ContactsError`, `CancellationError`, or an unexpected
    ///   error, which a front end reports without its details.
    public func call(_ params: MethodParams, context: RequestContext) async throws -> JSONValue {
        try await storage.handler(params, context)
    }

    /// Whether the method can sometimes answer at once (``callImmediately(_:)``).
    public var answersImmediately: Bool { storage.immediateHandler != nil }

    /// Answers at once on this thread, without waiting, or `nil` when that is not possible now.
    ///
    /// - Throws: As ``call(_:context:)``. A front end may leave an unexpected error to
    ///   ``call(_:context:)`` instead, where it is reported the usual way.
    public func callImmediately(_ params: MethodParams) throws -> JSONValue? {
        try storage.immediateHandler?(params)
    }
}

extension MethodDescriptor {
    /// The JSON Schema of the whole params object (a tool's input schema): each param's schema
    /// and summary, the required ones, and no other members, as ``MethodParams`` validates.
    public var paramsSchema: JSONValue {
        var properties = JSONObject()
        for spec in params {
            var schema = spec.schema
            if case .object(var members) = schema, !members.contains("description") {
                members["description"] = .string(spec.summary)
                schema = .object(members)
            }
            properties[spec.name] = schema
        }
        var schema: JSONObject = ["type": "object", "properties": .object(properties)]
        let required = params.filter(\.required).map { JSONValue.string($0.name) }
        if !required.isEmpty { schema["required"] = .array(required) }
        schema["additionalProperties"] = false
        return .object(schema)
    }

    /// Orders requests by the contact named in the `param` param: `contact:<id>`.
    public static func contactKey(_ param: String) -> OrderingKeys {
        { params in params?[param]?.stringValue.map { ["contact:" + $0] } ?? [] }
    }

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
