import ContactAudit
import ContactsGateway
import Foundation

/// What a gateway process records of itself when it starts a run.
enum RunStart {
    static func current(actor: String?) -> AuditRunStart {
        AuditRunStart(
            actor: actor, pid: ProcessInfo.processInfo.processIdentifier, host: ProcessInfo.processInfo.hostName,
            version: GatewayMethods.version)
    }
}
