import ContactStore
import Foundation
import JSONCore

/// `gateway.status` and `rpc.discover`: about the gateway itself rather than contacts.
enum GatewayInfoMethods {
    static func status(backend: any ContactsBackend, startedAt: Date, runId: String?) -> MethodDescriptor {
        MethodDescriptor(
            name: "gateway.status",
            summary: "Reports the version, backend, database, audit size, uptime and what the store's writer has done.",
            params: [],
            result: ResultSpec(
                "StatusResult",
                objectSchema([
                    "version": ["type": "string"], "backend": ["type": "string"], "database": ["type": "string"],
                    "auditEntries": ["type": "integer"], "uptimeSeconds": ["type": "number"],
                    "runId": ["type": ["string", "null"]],
                    "writer": [
                        "type": ["object", "null"],
                        "description": """
                        The embedded store's one writer since the gateway started (null on the wix backend): \
                        its writes, the transactions they shared, the wall-clock and CPU seconds it spent, the \
                        log syncs that made them durable, with the seconds those took, and the checkpoints it \
                        ran itself after a commit (the catch-ups that let the log restart; every queued write \
                        waits for them), with theirs. Then where the writes' \
                        time went, each phase's seconds summed over the writes (divide by writes for a mean): \
                        waiting for the writer (queued), in their transaction until it committed, waiting after \
                        the commit for its log sync, and waiting after the answer for their task to run again.
                        """,
                        "properties": [
                            "writes": ["type": "integer"], "transactions": ["type": "integer"],
                            "busySeconds": ["type": "number"], "cpuSeconds": ["type": "number"],
                            "syncs": ["type": "integer"], "syncSeconds": ["type": "number"],
                            "checkpoints": ["type": "integer"], "checkpointSeconds": ["type": "number"],
                            "queuedSeconds": ["type": "number"], "transactionSeconds": ["type": "number"],
                            "awaitingSyncSeconds": ["type": "number"], "resumingSeconds": ["type": "number"],
                        ],
                    ],
                ])
            ),
            errors: [], hints: .readOnly
        ) { _, _ in
            [
                "version": .string(GatewayMethods.version), "backend": .string(backend.name),
                "database": .string(backend.location), "auditEntries": .int(try await backend.audit.count()),
                "uptimeSeconds": .double((Date().timeIntervalSince(startedAt) * 1000).rounded() / 1000),
                "runId": runId.map { .string($0) } ?? .null,
                "writer": backend.writerActivity.map(json) ?? .null,
            ]
        }
    }

    /// `activity` as `gateway.status` reports it; seconds to the microsecond.
    private static func json(_ activity: WriterActivity) -> JSONValue {
        func seconds(_ value: Double) -> JSONValue { .double((value * 1e6).rounded() / 1e6) }
        return [
            "writes": .int(activity.writes), "transactions": .int(activity.transactions),
            "busySeconds": seconds(activity.busySeconds), "cpuSeconds": seconds(activity.cpuSeconds),
            "syncs": .int(activity.syncs), "syncSeconds": seconds(activity.syncSeconds),
            "checkpoints": .int(activity.checkpoints), "checkpointSeconds": seconds(activity.checkpointSeconds),
            "queuedSeconds": seconds(activity.queuedSeconds),
            "transactionSeconds": seconds(activity.transactionSeconds),
            "awaitingSyncSeconds": seconds(activity.awaitingSyncSeconds),
            "resumingSeconds": seconds(activity.resumingSeconds),
        ]
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
