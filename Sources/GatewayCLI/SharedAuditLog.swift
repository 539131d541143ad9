import ArgumentParser
import ContactsGateway
import Foundation
import JSONCore
import Logging
import PostgresAudit
import WixContacts

/// Opening the PostgreSQL audit log from `--audit-url`, and the sweep that settles intents
/// other gateways left behind.
enum SharedAuditLog {
    /// Opens the log at `url`. `CONTACTS_GATEWAY_AUDIT_LEASE` (seconds, default 30) sets how long an
    /// intent stays its writer's before another gateway may settle it.
    ///
    /// - Throws: a `ValidationError` for a malformed URL (never repeating a password), or
    ///   `UNAVAILABLE` when the server cannot be reached.
    static func open(url: String, environment: [String: String], logger: Logger) async throws -> PostgresAuditStore {
        let endpoint: PostgresEndpoint
        do {
            endpoint = try PostgresEndpoint(url: url, environment: environment)
        } catch let error as ContactsError {
            let reason = error.details["fieldViolations"]?.arrayValue?.first?["description"]?.stringValue ?? error.message
            throw ValidationError("--audit-url: \(reason)")
        }
        var lease = Duration.seconds(30)
        if let text = environment["CONTACTS_GATEWAY_AUDIT_LEASE"], !text.isEmpty {
            guard let seconds = Double(text), seconds >= 0.1, seconds <= 3600 else {
                throw ValidationError("CONTACTS_GATEWAY_AUDIT_LEASE must be a number of seconds from 0.1 to 3600.")
            }
            lease = .milliseconds(Int64(seconds * 1000))
        }
        logger.info("Audit log in PostgreSQL.", metadata: ["audit": "\(endpoint)"])
        return try await PostgresAuditStore.open(
            endpoint: endpoint, clock: { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }, lease: lease,
            logger: logger)
    }

    /// Every `interval`, settles the intents whose lease has expired and whose writer is gone (a
    /// gateway that crashed on another machine), as the start-up does for its own.
    static func settleOrphansPeriodically(_ backend: WixBackend, every interval: Duration, logger: Logger) {
        Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: max(interval / 2, .milliseconds(100)))
                do {
                    try await backend.settlePendingIntents()
                } catch {
                    logger.warning("Could not settle intents left by other gateways.", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
