public import ArgumentParser

/// `contacts-gateway`: the root command. `serve` (JSON-RPC on stdio) is the default.
///
/// A library so tests can parse arguments without spawning a process:
/// ```swift
/// let command = try GatewayCommand.parseAsRoot(["history", "c-1", "--json"])
/// ```
public struct GatewayCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "contacts-gateway",
        abstract: "A scriptable JSON-RPC gateway to the Wix Contacts v4 API, with an audit log and undo.",
        discussion: """
            Spawn it and write one JSON-RPC 2.0 request per line to its stdin; read one response per
            line from its stdout. Logs go to stderr. Try:

              echo '{"jsonrpc":"2.0","id":1,"method":"rpc.discover"}' | contacts-gateway

            Data lives in an SQLite file (--db, $CONTACTS_GATEWAY_DB, or the user's data directory);
            every change is recorded in its audit log, which `history` shows and `undo` reverts.
            """,
        version: "0.1.0",
        subcommands: [
            ServeCommand.self, MCPCommand.self, HistoryCommand.self, UndoCommand.self, RunsCommand.self,
            VerifyCommand.self, SyncCommand.self, AuditCommand.self, CompactCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )

    public init() {}
}

extension GatewayCommand {
    /// Runs the command line: `main()`, but a start of `serve` (no arguments, or `serve` and its
    /// options: how editors and scripts spawn it) reads `serve`'s options alone, not the whole
    /// command tree, which ArgumentParser builds by reflection (a quarter of a start), and the
    /// usual line without ArgumentParser at all (``DirectServeArguments``).
    public static func launch() async {
        if let arguments = ServeCommand.argumentsForDirectStart(Array(CommandLine.arguments.dropFirst())) {
            await ServeCommand.startDirectly(arguments)
        }
        await main()
    }
}
