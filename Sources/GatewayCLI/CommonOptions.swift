import ArgumentParser
import ContactsGateway
import ContactStore
import Foundation
import Logging

/// Options shared by every subcommand: where the data lives and how much to log.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Backend: local (embedded SQLite) or wix (the Wix REST API).", valueName: "local|wix"))
    var backend: String?

    @Option(name: .long, help: ArgumentHelp("The SQLite database file. Default: $CONTACTS_GATEWAY_DB, else the user's data directory.", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Log level on stderr: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel: String = "info"

    func validate() throws {
        if let backend, !["local", "wix"].contains(backend) {
            throw ValidationError("--backend must be 'local' or 'wix', not '\(backend)'.")
        }
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
    }

    /// The backend to use: `--backend`, else `wix` when `WIX_API_KEY` is set, else `local`.
    var resolvedBackend: String {
        backend ?? (ProcessInfo.processInfo.environment["WIX_API_KEY"].map { $0.isEmpty ? "local" : "wix" } ?? "local")
    }

    /// The database path, with its directory created (0700) and the file created 0600.
    func databasePath() throws -> String {
        let path = db ?? ProcessInfo.processInfo.environment["CONTACTS_GATEWAY_DB"].flatMap { $0.isEmpty ? nil : $0 }
            ?? DataDirectory.defaultDatabasePath()
        try DataDirectory.prepare(databaseAt: path)
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

    /// Opens the local backend, or explains why the chosen one cannot be used.
    func openBackend() throws -> LocalBackend {
        guard resolvedBackend == "local" else {
            throw ValidationError(
                "The wix backend is not available in this build yet; use --backend local (WIX_API_KEY is set, so wix is the default).")
        }
        return try LocalBackend(path: try databasePath())
    }
}
