import ArgumentParser
import ContactsGateway
import Logging

/// Options shared by every subcommand: where the data lives and how much to log.
struct CommonOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("Backend: local (embedded SQLite) or wix (the Wix REST API).", valueName: "local|wix"))
    var backend: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The SQLite database file. Default: $CONTACTS_GATEWAY_DB, else the user's data directory.",
            valueName: "path"))
    var db: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "full (default): an acknowledged change survives power loss; normal: only a crash of the process (no fsync: a lone write is answered sooner; under load full is as fast).",
            valueName: "full|normal"))
    var durability: String = BackendSettings.defaults.durability

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Seconds to wait for a database lock held by another process before a request fails with DATABASE_BUSY (default 10).",
            valueName: "seconds"))
    var busyTimeout: Double = BackendSettings.defaults.busyTimeout

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Keep the wix backend's audit log in PostgreSQL, shared by gateways on many machines: postgres://USER@HOST:PORT/DB[?sslmode=…] or postgres://USER@/DB?host=/socket/dir. Default: $CONTACTS_GATEWAY_AUDIT_URL. The password comes only from PGPASSWORD, PGPASSFILE (~/.pgpass) or CONTACTS_GATEWAY_AUDIT_PASSWORD_FILE.",
            valueName: "url"))
    var auditURL: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Log level on stderr: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel: String = BackendSettings.defaults.logLevel

    /// The options' values.
    var settings: BackendSettings {
        BackendSettings(
            backend: backend, db: db, durability: durability, busyTimeout: busyTimeout, auditURL: auditURL,
            logLevel: logLevel)
    }

    func validate() throws {
        try settings.validate()
    }

    /// ``BackendSettings/bootstrapLogging()`` with these options.
    func bootstrapLogging() -> Logger {
        settings.bootstrapLogging()
    }

    /// ``BackendSettings/openBackend(logger:)`` with these options.
    func openBackend(logger: Logger) async throws -> any ContactsBackend {
        try await settings.openBackend(logger: logger)
    }
}
