import ContactAudit
import Foundation
import JSONCore
import Logging
import PostgresAudit
import PostgresCluster
import WixContacts

/// The engines the audit-store table runs on: every test of ``AuditStoreContractTests`` runs
/// once on a fresh SQLite file and once on a fresh database of the process's throwaway
/// PostgreSQL cluster.
enum AuditStoreKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite, postgres

    /// A place for one test's log; ``open(lease:)`` may be called again to play a restart.
    func makeLocation() async throws -> AuditLocation {
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent(
                "audit-\(UUID().uuidString).sqlite"
            ).path
            return AuditLocation(kind: self, place: path)
        case .postgres:
            return AuditLocation(kind: self, place: try await ThrowawayCluster.shared().createDatabase())
        }
    }
}

extension AuditStoreKind {
    var description: String { rawValue }
}

/// One test's log: a SQLite path or a PostgreSQL URL.
struct AuditLocation: Sendable {
    let kind: AuditStoreKind
    let place: String
    let clock = MillisecondCounter(start: 1_795_946_400_000)

    /// Opens the log. `lease` applies to PostgreSQL: how long an intent stays its writer's.
    func open(lease: Duration = .seconds(30)) async throws -> any AuditStore {
        let clock = clock
        switch kind {
        case .sqlite:
            return try SQLiteAuditStore.open(path: place, clock: { clock.next() })
        case .postgres:
            let endpoint = try PostgresEndpoint(url: place, environment: [:])
            return try await PostgresAuditStore.open(
                endpoint: endpoint, clock: { clock.next() }, lease: lease, logger: Logger(label: "audit-tests"))
        }
    }

    /// Closes a log opened here (a PostgreSQL store's connections; SQLite closes on release).
    func close(_ store: any AuditStore) async {
        await (store as? PostgresAuditStore)?.close()
    }

    /// Removes the SQLite file (a PostgreSQL database goes with the cluster).
    func remove() {
        guard kind == .sqlite else { return }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: place + suffix) }
    }
}

/// Snapshots for intents.
enum Snapshots {
    static func contact(_ id: String, revision: Int, company: String?) -> ContactSnapshot {
        var info = #"{"name":{"first":"Ada"}"#
        if let company { info += #","company":"\#(company)""# }
        info += "}"
        let json = #"{"id":"\#(id)","revision":\#(revision),"info":\#(info)}"#
        return ContactSnapshot(id: id, revision: revision, json: RawJSON(trusted: Array(json.utf8)))
    }

    static func patch(company: String) -> JSONValue {
        ["company": .string(company)]
    }
}

/// Calls ``AuditStore/contactId(ofEntry:)`` on a thread of its own, as the JSON-RPC reader does:
/// it may block, which a task of the cooperative pool must not.
func contactIdOffThePool(_ store: any AuditStore, _ auditId: Int64) async -> String? {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: store.contactId(ofEntry: auditId)) }.start()
    }
}
