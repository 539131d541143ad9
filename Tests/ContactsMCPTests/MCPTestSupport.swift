import ContactsGateway
import ContactsMCP
import ContactStore
import Foundation
import JSONCore
import JSONRPC

/// An MCP server over a fresh SQLite file in its own temporary directory, driven in process
/// through its ``RPCMethodHandler`` methods, as the stdio server would.
final class TestMCPServer: @unchecked Sendable {
    let directory: URL
    let server: MCPServer
    private let ids = IDCounter()

    init(actor: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mcp-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let backend = try LocalBackend(path: directory.appendingPathComponent("contacts.sqlite").path)
        server = MCPServer(methods: GatewayMethods(backend: backend), actor: actor)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Sends a request and returns its result (raw fragments parsed), or throws the ResponseError.
    func request(_ method: String, _ params: JSONValue? = nil) async throws -> JSONValue {
        try await server.handle(RPCRequest(id: .int(ids.next()), method: method, params: params)).resolvingRaw()
    }

    /// Sends a request that must fail and returns its error.
    func failure(_ method: String, _ params: JSONValue? = nil) async -> ResponseError? {
        do {
            _ = try await request(method, params)
            return nil
        } catch {
            return error as? ResponseError
        }
    }

    /// `initialize` as `client` at `version`, then `notifications/initialized`.
    @discardableResult
    func initialize(client: String = "test-client", version: String = MCPProtocolVersion.latestHandshake) async throws
        -> JSONValue
    {
        let result = try await request(
            "initialize",
            [
                "protocolVersion": .string(version), "capabilities": [:],
                "clientInfo": ["name": .string(client), "version": "1.0"],
            ])
        _ = try await server.handle(RPCRequest(id: nil, method: "notifications/initialized"))
        return result
    }

    /// `tools/call`.
    func callTool(_ name: String, _ arguments: JSONValue) async throws -> JSONValue {
        try await request("tools/call", ["name": .string(name), "arguments": arguments])
    }

    /// Creates a contact through the tool and returns it.
    func createContact(first: String) async throws -> JSONValue {
        let result = try await callTool("contacts_create", ["info": ["name": ["first": .string(first)]]])
        return result["structuredContent"]?["contact"] ?? .null
    }
}

/// Request ids for one test server.
final class IDCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}
