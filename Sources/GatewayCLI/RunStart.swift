import ContactAudit
import ContactsGateway
import Foundation
import Logging

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
                logger.warning("Could not record the run.", metadata: ["run": "\(start.runId)", "error": "\(error)"])
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
