import Foundation
import JSONCore

/// `gateway.status` and `rpc.discover`: about the gateway itself rather than contacts.
enum GatewayInfoMethods {
    static func status(backend: any ContactsBackend, startedAt: Date, runId: String?) -> MethodDescriptor {
        MethodDescriptor(
            name: "gateway.status", summary: "Reports the version, backend, database, audit size and uptime.",
            params: [],
            result: ResultSpec(
                "StatusResult",
                objectSchema([
                    "version": ["type": "string"], "backend": ["type": "string"], "database": ["type": "string"],
                    "auditEntries": ["type": "integer"], "uptimeSeconds": ["type": "number"],
                    "runId": ["type": ["string", "null"]],
                ])
            ),
            errors: [], hints: .readOnly
        ) { _, _ in
            [
                "version": .string(GatewayMethods.version), "backend": .string(backend.name),
                "database": .string(backend.location), "auditEntries": .int(try await backend.audit.count()),
                "uptimeSeconds": .double((Date().timeIntervalSince(startedAt) * 1000).rounded() / 1000),
                "runId": runId.map { .string($0) } ?? .null,
            ]
        }
    }

    /// Returns `document`, the OpenRPC description of every method (built once: it never changes).
    static func discover(document: JSONValue) -> MethodDescriptor {
        MethodDescriptor(
            name: "rpc.discover", summary: "Returns the OpenRPC 1.3 document of every method.",
            params: [], result: ResultSpec("OpenRPCDocument", ["$ref": "https://meta.open-rpc.org/"]),
            errors: [], hints: .readOnly
        ) { _, _ in document }
    }
}
