import ArgumentParser
import ContactAudit
import ContactsGateway
import ContactStore
import Foundation
import Logging
import PostgresAudit
import WixContacts

/// Where the data lives and how much to log: the values of ``CommonOptions``, which
/// ``DirectServeArguments`` also reads without ArgumentParser, and what a command does with them.
struct BackendSettings: Equatable, Sendable {
    var backend: String? = nil
    var db: String? = nil
    var durability = "full"
    var busyTimeout: Double = 10
    var auditURL: String? = nil
    var logLevel = "info"

    /// Every option's default.
    static let defaults = BackendSettings()

    /// Checks each value, with the message ArgumentParser shows for a bad option.
    func validate() throws {
        if let backend, !["local", "wix"].contains(backend) {
            throw ValidationError("--backend must be 'local' or 'wix', not '\(backend)'.")
        }
        if durability != "full" && durability != "normal" {
            throw ValidationError("--durability must be 'full' or 'normal'.")
        }
        if !(busyTimeout >= 0 && busyTimeout <= 3600) {
            throw ValidationError("--busy-timeout must be between 0 and 3600 seconds.")
        }
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
    }

    /// The backend to use: `--backend`, else `wix` when `WIX_API_KEY` is set, else `local`.
    var resolvedBackend: String {
        backend ?? (EnvironmentVariable.value("WIX_API_KEY").map { $0.isEmpty ? "local" : "wix" } ?? "local")
    }

    /// `--audit-url`, else `CONTACTS_GATEWAY_AUDIT_URL`; `nil` for the SQLite log.
    var resolvedAuditURL: String? {
        (auditURL ?? EnvironmentVariable.value("CONTACTS_GATEWAY_AUDIT_URL")).flatMap {
            $0.isEmpty ? nil : $0
        }
    }

    /// The database path, with its directory created (0700) and the file created 0600: for the
    /// local backend from the template of a new file.
    func databasePath() throws -> String {
        let path =
            db ?? EnvironmentVariable.value("CONTACTS_GATEWAY_DB").flatMap { $0.isEmpty ? nil : $0 }
            ?? DataDirectory.defaultDatabasePath()
        try DataDirectory.prepare(databaseAt: path, fromTemplate: resolvedBackend != "wix")
        return path
    }

    /// Sends swift-log output to stderr at the chosen level. Called once per process.
    func bootstrapLogging() -> Logger {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "contacts-gateway")
        logger.logLevel = level
        return logger
    }

    /// Opens the chosen backend. For `wix`, credentials come from the environment only
    /// (`WIX_API_KEY` + `WIX_SITE_ID`, or `WIX_CLIENT_ID` + `WIX_CLIENT_SECRET` + `WIX_INSTANCE_ID`),
    /// `WIX_BASE_URL` overrides the API host, and audit intents left by a crash are settled first.
    func openBackend(logger: Logger) async throws -> any ContactsBackend {
        let path = try databasePath()
        guard resolvedBackend == "wix" else {
            if resolvedAuditURL != nil {
                throw ValidationError(
                    "--audit-url (or CONTACTS_GATEWAY_AUDIT_URL) needs --backend wix: the local backend keeps each contact and its audit entry in one SQLite transaction on this machine, so its contacts would be per machine while the log was shared."
                )
            }
            return try LocalBackend(
                path: path,
                configuration: StoreConfiguration(durableCommits: durability == "full", busyTimeout: busyTimeout))
        }
        let environment = ProcessInfo.processInfo.environment
        guard let credentials = try WixCredentials.fromEnvironment(environment) else {
            throw ValidationError(
                "The wix backend needs WIX_API_KEY and WIX_SITE_ID, or WIX_CLIENT_ID, WIX_CLIENT_SECRET and WIX_INSTANCE_ID."
            )
        }
        let baseURL: URL
        if let text = environment["WIX_BASE_URL"], !text.isEmpty {
            guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
                throw ValidationError("WIX_BASE_URL must be an http(s) URL.")
            }
            baseURL = url
        } else {
            baseURL = URL(string: "https://www.wixapis.com")!
        }
        var configuration = WixClientConfiguration(baseURL: baseURL, credentials: credentials)
        if let text = environment["WIX_REQUESTS_PER_MINUTE"], !text.isEmpty {
            // A site with a higher quota than Wix's default 200 per minute (or a local emulator).
            guard let limit = Int(text), limit >= 1 else {
                throw ValidationError("WIX_REQUESTS_PER_MINUTE must be a whole number of at least 1.")
            }
            configuration.requestsPerMinute = limit
        }
        let transport: any HTTPTransport
        switch environment["WIX_HTTP_TRANSPORT"] ?? "" {
        case "", "async-http-client": transport = AsyncHTTPClientTransport()
        default:
            // `urlsession` is gone: it lost requests under concurrency on Linux, and linking
            // FoundationNetworking (libcurl and some 30 libraries) cost every start ~5 ms.
            throw ValidationError("WIX_HTTP_TRANSPORT must be 'async-http-client' (the default).")
        }
        let client = WixContactsClient(configuration: configuration, transport: transport)
        let audit: any AuditStore
        if let url = resolvedAuditURL {
            audit = try await SharedAuditLog.open(url: url, environment: environment, logger: logger)
        } else {
            audit = try SQLiteAuditStore.open(path: path, clock: StoreConfiguration().clock, busyTimeout: busyTimeout)
        }
        let backend = WixBackend(client: client, baseURL: baseURL, audit: audit, logger: logger)
        try await backend.settlePendingIntents()
        guard let shared = audit as? PostgresAuditStore else { return backend }
        SharedAuditLog.settleOrphansPeriodically(backend, every: shared.lease, logger: logger)
        return ContactLockingBackend(inner: backend, log: shared)
    }
}
