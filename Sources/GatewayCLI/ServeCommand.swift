import ArgumentParser
import ContactsGateway
import Foundation
import JSONRPC
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `contacts-gateway serve`: JSON-RPC 2.0 on stdin/stdout until end of input or a signal.
struct ServeCommand: AsyncParsableCommand {
    /// Named as `contacts-gateway`'s subcommand even when parsed on its own (``startDirectly(_:)``),
    /// which also spares that parse ArgumentParser's check for a completion-script request (two
    /// more commands parsed by reflection, about 1 ms of every start): a start that asks for one
    /// goes through the root command.
    static let configuration = CommandConfiguration(
        commandName: "serve",
        _superCommandName: "contacts-gateway",
        abstract: "Serve JSON-RPC 2.0 on stdin/stdout (the default command).",
        discussion: """
            One request per line in, one response per line out; responses may come out of order
            (match them by id). End of input or SIGTERM/SIGINT: finish in-flight requests, flush,
            exit 0. Methods: rpc.discover lists them all.
            """
    )

    @OptionGroup var common: CommonOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Who makes changes, for the audit log. Default: $CONTACTS_GATEWAY_ACTOR, else the OS login name.",
            valueName: "name")
    )
    var actor: String?

    @OptionGroup var stdio: StdioOptions

    /// The options' values.
    var settings: ServeSettings {
        ServeSettings(backend: common.settings, actor: actor, maxLineBytes: stdio.maxLineBytes)
    }

    func run() async throws {
        try await Self.serve(settings)
    }

    /// Serves until end of input or a signal.
    static func serve(_ settings: ServeSettings) async throws {
        // Before anything can print: keep fd 1 for the protocol, send stray output to stderr.
        let protocolFD = StandardOutputGuard.takeOverStandardOutput()
        let logger = settings.backend.bootstrapLogging()
        let backend = try await settings.backend.openBackend(logger: logger)
        let defaultActor = Actor.resolve(settings.actor)
        let runId = RunStart.begin(on: backend.audit, actor: defaultActor, logger: logger)
        let gateway = ContactsGateway(backend: backend, defaultActor: defaultActor, runId: runId)
        logger.info(
            "contacts-gateway \(ContactsGateway.version) serving JSON-RPC on stdio",
            metadata: ["backend": "\(backend.name)", "db": "\(backend.location)", "run": "\(runId)"])
        if isatty(0) == 1 {
            FileHandle.standardError.write(
                Data(
                    "Type one JSON-RPC request per line, e.g. {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"gateway.status\"}; Ctrl-D to quit.\n"
                        .utf8))
        }
        let server = StdioServer(
            configuration: ServerConfiguration(
                outputFD: protocolFD, maxLineBytes: settings.maxLineBytes, handlesSignals: true),
            handler: gateway, logger: logger)
        let reason = await server.run()
        logger.debug("Stopped.", metadata: ["reason": "\(reason)"])
        // The pool closes its connections when released; WAL is checkpointed on the last close.
    }
}

/// Everything `serve` starts with: ``ServeCommand``'s options, or the same read by
/// ``DirectServeArguments``.
struct ServeSettings: Equatable, Sendable {
    var backend = BackendSettings.defaults
    var actor: String? = nil
    var maxLineBytes = StdioOptions.defaultMaxLineBytes

    /// Checks each value, with the messages ArgumentParser shows for bad options.
    func validate() throws {
        try backend.validate()
        try StdioOptions.validate(maxLineBytes: maxLineBytes)
    }
}

extension ServeCommand {
    /// The arguments of `serve` when `arguments` (the command line without the program name)
    /// start it — none, or `serve` and its options — and ask for nothing the root command answers
    /// (help, version, completion scripts); `nil` otherwise.
    static func argumentsForDirectStart(_ arguments: [String]) -> [String]? {
        let rest = arguments.first == "serve" ? Array(arguments.dropFirst()) : arguments
        guard arguments.isEmpty || arguments.first == "serve" else { return nil }
        // An array, not a set: a start would spend 0.6 M instructions finding `Set<String>`'s
        // conformances for five comparisons.
        let rootFlags = ["-h", "--help", "help", "--version", "--generate-completion-script"]
        guard !rest.contains(where: { rootFlags.contains($0) || $0.hasPrefix("--experimental") }) else { return nil }
        return rest
    }

    /// Reads `arguments` as `serve`'s (``DirectServeArguments`` for the usual line, else
    /// ArgumentParser) and serves, exiting as `main()` would. Returns only when they do not
    /// parse, for `main()` to report the mistake as the whole command line's.
    static func startDirectly(_ arguments: [String]) async {
        guard let settings = DirectServeArguments.parse(arguments) ?? (try? parse(arguments))?.settings else {
            return
        }
        do {
            try await serve(settings)
            exit()
        } catch {
            exit(withError: error)
        }
    }
}
