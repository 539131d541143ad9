import Foundation
public import JSONCore
public import JSONRPC
import Logging
import ContactStore
import WixContacts

/// The gateway's JSON-RPC methods (SPEC §3) over one backend.
///
/// Plug it into a ``JSONRPC/StdioServer`` to serve stdio:
///
/// ```swift
/// let backend = try LocalBackend(path: "contacts.sqlite")
/// let gateway = ContactsGateway(backend: backend, defaultActor: "alice")
/// let server = StdioServer(configuration: .init(outputFD: fd), handler: gateway, logger: logger)
/// _ = await server.run()
/// ```
public final class ContactsGateway: RPCMethodHandler {
    /// The product version reported by `gateway.status` and `rpc.discover`.
    public static let version = "0.1.0"

    /// The backend behind the methods.
    public let backend: any ContactsBackend
    /// The actor recorded when a request names none.
    public let defaultActor: String?
    /// Every method, by name: the dispatcher's table and the OpenRPC document's source.
    public let methods: [String: MethodDescriptor]
    /// The embedded store, when that is the backend: `contacts.get` is answered from it on the
    /// reader thread.
    private let localStore: ContactStore?
    private let getParams: [ParamSpec]

    /// Creates the gateway over `backend`.
    public init(backend: any ContactsBackend, defaultActor: String? = nil) {
        self.backend = backend
        self.defaultActor = defaultActor
        localStore = (backend as? LocalBackend)?.store
        let startedAt = Date()
        var all =
            ContactMethods.descriptors(backend: backend) + QueryMethods.descriptors(backend: backend)
            + AuditMethods.descriptors(backend: backend) + CatalogMethods.descriptors(backend: backend)
        all.append(Self.statusDescriptor(backend: backend, startedAt: startedAt))
        // The document describes every method, rpc.discover included, and never changes.
        let document = OpenRPCDocument.make(
            methods: (all + [Self.discoverDescriptor(document: .null)]).sorted { $0.name < $1.name })
        all.append(Self.discoverDescriptor(document: document))
        var table: [String: MethodDescriptor] = [:]
        for descriptor in all { table[descriptor.name] = descriptor }
        methods = table
        getParams = table["contacts.get"]?.params ?? []
    }

    /// Every method name, sorted.
    public var methodNames: [String] { methods.keys.sorted() }

    // MARK: - RPCMethodHandler

    public func orderingKey(for request: RPCRequest) -> String? {
        guard let descriptor = methods[request.method], let param = descriptor.orderingParam else { return nil }
        if let value = request.params?[param]?.stringValue { return "contact:" + value }
        // An undo by audit id touches the entry's contact: order it behind that contact's
        // earlier requests too. Called on the reader thread, where a short read may wait.
        if request.method == "contacts.undo", let auditId = request.params?["auditId"]?.intValue,
            let contactId = backend.audit.contactId(ofEntry: Int64(auditId))
        {
            return "contact:" + contactId
        }
        return nil
    }

    public func handle(_ request: RPCRequest) async throws -> JSONValue {
        guard let descriptor = methods[request.method] else { throw ResponseError.methodNotFound(request.method) }
        do {
            let params = try Params(request.params, specs: descriptor.params)
            let context = RequestContext(
                actor: params.string("actor") ?? defaultActor, requestId: request.id?.description)
            return try await descriptor.handler(params, context)
        } catch let error as ContactsError {
            throw GatewayErrors.response(for: error)
        } catch let error as any ContactsErrorConvertible {
            // A storage error the caller can act on (the database stayed busy): say so.
            guard let contactsError = error.contactsError else { throw error }
            throw GatewayErrors.response(for: contactsError)
        }
        // Anything else reaches the server as it is: it answers an unexpected error with
        // `-32603` and logs the error itself, which the client never sees.
    }

    /// `contacts.get` on the embedded store, answered without a task when a reader connection
    /// is free: the hot path of the product.
    public func handleImmediately(_ request: RPCRequest) -> Result<JSONValue, ResponseError>? {
        guard let localStore, request.method == "contacts.get" else { return nil }
        do {
            let params = try Params(request.params, specs: getParams)
            guard let snapshot = try localStore.snapshotImmediately(id: params.requiredString("contactId")) else {
                return nil
            }
            return .success(["contact": .raw(snapshot.json)])
        } catch let error as ResponseError {
            return .failure(error)
        } catch let error as ContactsError {
            return .failure(GatewayErrors.response(for: error))
        } catch {
            // Unexpected: left to the task path, whose failure the server logs.
            return nil
        }
    }

    // MARK: - gateway.status and rpc.discover

    private static func statusDescriptor(backend: any ContactsBackend, startedAt: Date) -> MethodDescriptor {
        MethodDescriptor(
            name: "gateway.status", summary: "Reports the version, backend, database, audit size and uptime.",
            params: [],
            result: (
                "StatusResult",
                objectSchema([
                    "version": ["type": "string"], "backend": ["type": "string"], "database": ["type": "string"],
                    "auditEntries": ["type": "integer"], "uptimeSeconds": ["type": "number"],
                ])
            ),
            errors: [], orderingParam: nil
        ) { _, _ in
            [
                "version": .string(version), "backend": .string(backend.name), "database": .string(backend.location),
                "auditEntries": .int(try await backend.audit.count()),
                "uptimeSeconds": .double((Date().timeIntervalSince(startedAt) * 1000).rounded() / 1000),
            ]
        }
    }

    private static func discoverDescriptor(document: JSONValue) -> MethodDescriptor {
        MethodDescriptor(
            name: "rpc.discover", summary: "Returns the OpenRPC 1.3 document of every method.",
            params: [], result: ("OpenRPCDocument", ["$ref": "https://meta.open-rpc.org/"]),
            errors: [], orderingParam: nil
        ) { _, _ in document }
    }
}
