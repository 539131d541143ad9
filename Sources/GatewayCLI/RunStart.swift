import ContactAudit
import ContactsGateway
import Foundation
import Logging
import WixContacts

/// What a gateway process records of itself when it starts a run.
enum RunStart {
    /// Records the run without delaying the first answer (a write, with its fsync): entries name
    /// the run by id whether or not its row is in yet. Returns the run's id.
    static func begin(on audit: any AuditStore, actor: String?, logger: Logger) -> String {
        let start = current(actor: actor)
        Task {
            do {
                _ = try await audit.startRun(start)
            } catch {
                // Said the way a request's failure is said (DATABASE_BUSY, …), never as raw SQL.
                let reason =
                    (error as? ContactsError)?.message ?? (error as? any ContactsErrorConvertible)?.contactsError?.message
                    ?? "\(type(of: error))"
                logger.warning(
                    "Could not record the run; its entries still name it.",
                    metadata: ["run": "\(start.runId)", "reason": "\(reason)"])
            }
        }
        return start.runId
    }

    static func current(actor: String?) -> AuditRunStart {
        AuditRunStart(
            actor: actor, pid: ProcessInfo.processInfo.processIdentifier, host: ProcessInfo.processInfo.hostName,
            version: GatewayMethods.version)
    }
}
