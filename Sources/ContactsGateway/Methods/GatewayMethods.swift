import ContactStore
import Foundation
public import JSONCore
import WixContacts

/// Every method of the gateway (SPEC §3) over one backend, independent of the protocol that
/// serves them: the descriptor table, and calls with a neutral ``RequestContext``.
///
/// A front end adapts it to its protocol: ``ContactsGateway`` serves it as JSON-RPC on stdio;
/// an MCP server can list the same descriptors as tools and call them.
///
/// ```swift
/// let methods = GatewayMethods(backend: try LocalBackend(path: "contacts.sqlite"), defaultActor: "alice")
/// let result = try await methods.call(
///     "contacts.get", params: ["contactId": "c-1"], context: RequestContext(actor: nil, requestId: "7"))
/// ```
public final class GatewayMethods: Sendable {
    /// The product version reported by `gateway.status` and `rpc.discover`.
    public static let version = "0.1.0"

    /// The backend behind the methods.
    public let backend: any ContactsBackend
    /// The actor recorded when neither the request's `actor` param nor its context names one.
    public let defaultActor: String?
    /// Every method, by name.
    public let methods: [String: MethodDescriptor]
    /// The same methods, for the lookups of every request.
    private let table: MethodTable
    /// The run (gateway process) recorded on every entry; `nil` for none.
    public let runId: String?

    /// The methods over `backend`; `runId` (from ``ContactAudit/AuditStore/startRun(_:)``) is
    /// recorded on every entry written.
    public init(backend: any ContactsBackend, defaultActor: String? = nil, runId: String? = nil) {
        self.backend = backend
        self.defaultActor = defaultActor
        self.runId = runId
        var all =
            ContactMethods.descriptors(backend: backend) + QueryMethods.descriptors(backend: backend)
            + AuditMethods.descriptors(backend: backend) + CatalogMethods.descriptors(backend: backend)
            + SurfaceMethods.descriptors(backend: backend) + BulkMethods.descriptors(backend: backend)
            + LogMethods.descriptors(backend: backend)
        all.append(GatewayInfoMethods.status(backend: backend, startedAt: Date(), runId: runId))
        // The document describes every method, rpc.discover included, and never changes.
        let document = OpenRPCDocument.make(
            methods: (all + [GatewayInfoMethods.discover(document: .null)]).sorted { $0.name < $1.name })
        all.append(GatewayInfoMethods.discover(document: document))
        var byName: [String: MethodDescriptor] = [:]
        for descriptor in all { byName[descriptor.name] = descriptor }
        methods = byName
        table = MethodTable(Array(byName.values))
    }

    /// Every method name, sorted.
    public var methodNames: [String] { methods.keys.sorted() }

    /// The method named `name`, if there is one.
    public func descriptor(named name: String) -> MethodDescriptor? { table[name] }

    // MARK: - Calling

    /// Validates `params` and runs the method named `name`.
    ///
    /// - Parameters:
    ///   - params: The raw params: an object, or `nil` for none.
    ///   - context: Who asks; a nil `actor` falls back to ``defaultActor`` (an `actor` param wins
    ///     over both).
    /// - Throws: ``MethodNotFoundError``, ``InvalidParamsError``, `ContactsError` (also for an
    ///   error of another layer that means one, such as a busy database), `CancellationError`, or
    ///   an unexpected error (a front end reports it without details).
    public func call(_ name: String, params: JSONValue?, context: consuming RequestContext) async throws -> JSONValue {
        guard let descriptor = table[name] else { throw MethodNotFoundError(name: name) }
        return try await call(
            descriptor, params: try MethodParams(validating: params, against: descriptor.params),
            context: context)
    }

    /// Runs `descriptor` with validated params, filling in the actor.
    ///
    /// An error of another layer that means a `ContactsError` (the database stayed busy) is
    /// thrown as that `ContactsError`, so every front end reports it the same way.
    public func call(_ descriptor: MethodDescriptor, params: MethodParams, context: consuming RequestContext)
        async throws -> JSONValue
    {
        // Taken, not copied: a copy retains each of the context's strings.
        var context = context
        context.actor = params.string("actor") ?? context.actor ?? defaultActor
        if context.runId == nil { context.runId = runId }
        do {
            // An answer built from reads may show a change whose log sync is still running: it
            // leaves once that is durable. A write's own answer already waited for its sync.
            return try await AnswerDurability.answer(waitingOn: backend.capabilities.durabilityBarrier) {
                try await descriptor.call(params, context: context)
            }
        } catch {
            throw Self.contactsError(for: error)
        }
    }

    /// `error` as the `ContactsError` it means, when it is one of another layer's that means one;
    /// else `error`, whose unexpected kinds the front end logs and answers generically. Not
    /// inlined: the existential it casts to stays out of the async caller's frame.
    @inline(never)
    private static func contactsError(for error: any Error) -> any Error {
        guard let convertible = error as? any ContactsErrorConvertible, let contactsError = convertible.contactsError
        else { return error }
        return contactsError
    }

    /// Answers the method named `name` at once on this thread when it can do so without waiting
    /// (`contacts.get` on a backend with a ``BackendCapabilities/fastReader``); `nil` otherwise,
    /// unknown names included.
    ///
    /// - Throws: ``InvalidParamsError``, `ContactsError`, or an unexpected error (which a front
    ///   end may leave to ``call(_:params:context:)``, to be reported the usual way).
    public func callImmediately(_ name: String, params: JSONValue?) throws -> JSONValue? {
        guard let descriptor = table[name], descriptor.answersImmediately else { return nil }
        return try descriptor.callImmediately(try MethodParams(validating: params, against: descriptor.params))
    }

    /// The keys that order a request for `name` with these raw params (see
    /// ``MethodDescriptor/orderingKeys(for:)``); none for an unknown name.
    public func orderingKeys(_ name: String, params: JSONValue?) -> [String] {
        table[name]?.orderingKeys(for: params) ?? []
    }
}
