import ArgumentParser
import ContactStore
import Foundation
import JSONCore
import Logging
import WixEmulator

/// `wix-emulator`: the Wix Contacts v4 REST API on 127.0.0.1, served from an SQLite store.
///
/// Prints exactly one line on stdout, `http://127.0.0.1:<port>`, once it listens; logs go to
/// stderr. SIGTERM or SIGINT shut it down gracefully with exit status 0.
struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wix-emulator",
        abstract: "Serves the Wix Contacts v4 REST API on 127.0.0.1 from an embedded store, for tests.",
        discussion: """
            Credentials may also come from the environment (WIX_EMULATOR_API_KEY, WIX_EMULATOR_SITE_ID,
            WIX_EMULATOR_CLIENT_ID, WIX_EMULATOR_CLIENT_SECRET), which keeps them out of `ps`.
            Faults are armed with --fault or at runtime with POST /_emulator/faults, e.g.
              --fault '{"kind":"status","status":429,"retryAfterSeconds":1,"count":2}'
            """
    )

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port: Int = 0

    @Option(help: ArgumentHelp("The SQLite database file. Default: a new temporary file.", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("The expected API key. Default: $WIX_EMULATOR_API_KEY, else any.", valueName: "key"))
    var apiKey: String?

    @Option(help: ArgumentHelp("The expected wix-site-id. Default: $WIX_EMULATOR_SITE_ID, else any.", valueName: "id"))
    var siteId: String?

    @Option(help: ArgumentHelp("The expected OAuth client id. Default: $WIX_EMULATOR_CLIENT_ID.", valueName: "id"))
    var clientId: String?

    @Option(
        help: ArgumentHelp(
            "The expected OAuth client secret. Default: $WIX_EMULATOR_CLIENT_SECRET.", valueName: "secret"))
    var clientSecret: String?

    @Option(help: ArgumentHelp("Seconds an OAuth access token lives.", valueName: "seconds"))
    var tokenTtl: Int = 14_400

    @Option(help: ArgumentHelp("A fault to arm from the start, as JSON (repeatable).", valueName: "json"))
    var fault: [String] = []

    @Option(help: ArgumentHelp("Log level on stderr.", valueName: "level"))
    var logLevel: String = "info"

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535.") }
        guard tokenTtl > 0 else { throw ValidationError("--token-ttl must be positive.") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
        _ = try faults()
    }

    func run() async throws {
        let logger = bootstrapLogging()
        let (path, temporaryDirectory) = try WixEmulator.databaseLocation(db)
        defer {
            if let temporaryDirectory { try? FileManager.default.removeItem(at: temporaryDirectory) }
        }
        let environment = ProcessInfo.processInfo.environment
        let configuration = EmulatorConfiguration(
            port: port,
            apiKey: apiKey ?? Self.nonEmpty(environment["WIX_EMULATOR_API_KEY"]),
            siteID: siteId ?? Self.nonEmpty(environment["WIX_EMULATOR_SITE_ID"]),
            clientID: clientId ?? Self.nonEmpty(environment["WIX_EMULATOR_CLIENT_ID"]),
            clientSecret: clientSecret ?? Self.nonEmpty(environment["WIX_EMULATOR_CLIENT_SECRET"]),
            tokenLifetime: tokenTtl,
            faults: try faults(),
            logger: logger
        )
        let emulator = WixEmulator(store: try ContactStore(path: path), configuration: configuration)
        try await emulator.run { port in
            // The only stdout output: whoever spawned us reads the URL from it. FileHandle is unbuffered.
            FileHandle.standardOutput.write(Data("http://127.0.0.1:\(port)\n".utf8))
        }
        logger.info("Stopped")
    }

    private func faults() throws -> [FaultRule] {
        try fault.map { text in
            do {
                return try FaultRule(json: try JSONValue.parse(text))
            } catch {
                throw ValidationError("--fault '\(text)' is not a valid fault: \(error).")
            }
        }
    }

    private func bootstrapLogging() -> Logger {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "wix-emulator")
        logger.logLevel = level
        return logger
    }

    private static func nonEmpty(_ value: String?) -> String? {
        value.flatMap { $0.isEmpty ? nil : $0 }
    }
}
