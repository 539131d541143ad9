import ArgumentParser
import ContactsGateway
import ContactsMCP
import JSONRPC
import Logging

/// `contacts-gateway mcp`: the gateway as a Model Context Protocol server on stdin/stdout, for
/// AI agents (Claude Desktop, VS Code, Cursor, …), on the same backends, audit log and JSON-RPC
/// core as `serve`.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the Model Context Protocol on stdin/stdout, for AI agents.",
        discussion: """
            One tool per gateway method (contacts_get, contacts_update, contacts_undo, …);
            resources contact://{contactId} and audit://{contactId}. Every write is audited
            under --actor, else mcp:<the client's name>, and can be undone.

            Configure an MCP client (Claude Desktop, VS Code) with
            command "/path/to/contacts-gateway" and args ["mcp", "--db", "/path/to/contacts.sqlite"].
            """
    )

    @OptionGroup var common: CommonOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Who makes changes, for the audit log. Default: mcp:<the MCP client's name>.", valueName: "name")
    )
    var actor: String?

    @OptionGroup var stdio: StdioOptions

    func run() async throws {
        // Before anything can print: keep fd 1 for the protocol, send stray output to stderr.
        let protocolFD = StandardOutputGuard.takeOverStandardOutput()
        let logger = common.bootstrapLogging()
        let backend = try await common.openBackend(logger: logger)
        let runId = RunStart.begin(on: backend.audit, actor: actor, logger: logger)
        let server = MCPServer(methods: GatewayMethods(backend: backend, runId: runId), actor: actor)
        logger.info(
            "contacts-gateway \(GatewayMethods.version) serving MCP on stdio",
            metadata: [
                "backend": "\(backend.name)", "db": "\(backend.location)", "tools": "\(server.tools.tools.count)",
            ])
        let stdio = StdioServer(
            configuration: ServerConfiguration(
                outputFD: protocolFD, maxLineBytes: stdio.maxLineBytes, handlesSignals: true,
                cancelNotifications: [MCPServer.cancelNotification]),
            handler: server, logger: logger)
        let reason = await stdio.run()
        logger.debug("Stopped.", metadata: ["reason": "\(reason)"])
    }
}
