import ContactsGateway
import ContactsMCP
import Foundation
import JSONCore
import JSONRPC
import Testing

@Suite struct MCPNotificationTests {
    @Test func progressIsSentForTheCallersTokenOnly() throws {
        let lines = Lines()
        let notifier = RPCNotifier { lines.append($0) }
        #expect(MCPNotifications.progressReporter(token: nil, notifier: notifier) == nil)
        let token = try #require(MCPNotifications.progressToken(in: ["_meta": ["progressToken": "t-1"]]))
        let reporter = try #require(MCPNotifications.progressReporter(token: token, notifier: notifier))

        reporter.report(ProgressUpdate(completed: 2, total: 5, message: "updated 2 of 5 contacts"))

        let sent = try #require(lines.parsed.first)
        #expect(sent["method"] == "notifications/progress")
        #expect(
            sent["params"] == ["progressToken": "t-1", "progress": 2, "total": 5, "message": "updated 2 of 5 contacts"])
        #expect(MCPNotifications.progressToken(in: ["_meta": ["progressToken": ["no"]]]) == nil)
    }

    @Test func changesAreLoggedAtTheLevelTheClientSet() async throws {
        let mcp = try TestMCPServer()
        try await mcp.initialize()
        let lines = Lines()
        try await RPCNotifier.$current.withValue(RPCNotifier { lines.append($0) }) {
            _ = try await mcp.createContact(first: "Ada")  // notice: sent at the default level (info)
            _ = try await mcp.callTool("contacts_query", [:])  // debug: not sent
            _ = try await mcp.request("logging/setLevel", ["level": "debug"])
            _ = try await mcp.callTool("contacts_query", [:])  // now sent
        }
        let messages = lines.parsed.filter { $0["method"] == "notifications/message" }
        #expect(messages.map { $0["params"]?["level"]?.stringValue } == ["notice", "debug"])
        #expect(messages.first?["params"]?["data"]?.stringValue?.hasPrefix("contacts.create: contact ") == true)
    }

    @Test func aStatelessRequestGetsLogMessagesOnlyWhenItOptsIn() async throws {
        let mcp = try TestMCPServer()
        let lines = Lines()
        func create(_ meta: JSONObject) async throws {
            var meta = meta
            meta[MCPMeta.protocolVersion] = "2026-07-28"
            _ = try await mcp.request(
                "tools/call",
                ["name": "contacts_create", "arguments": ["info": ["name": ["first": "Ada"]]], "_meta": .object(meta)])
        }
        try await RPCNotifier.$current.withValue(RPCNotifier { lines.append($0) }) {
            try await create([:])
            try await create([MCPMeta.logLevel: "info"])
        }
        #expect(lines.parsed.filter { $0["method"] == "notifications/message" }.count == 1)
    }
}

/// Notification lines collected from an ``RPCNotifier``.
final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [[UInt8]] = []

    func append(_ line: [UInt8]) { lock.withLock { lines.append(line) } }

    var parsed: [JSONValue] { lock.withLock { lines.compactMap { try? JSONValue.parse($0) } } }
}

@Suite struct MCPProgressTests {
    @Test func aBulkCallReportsProgressToTheCallersToken() async throws {
        let mcp = try TestMCPServer()
        try await mcp.initialize()
        for index in 0..<3 { _ = try await mcp.createContact(first: "C\(index)") }
        let lines = Lines()
        let result = try await RPCNotifier.$current.withValue(RPCNotifier { lines.append($0) }) {
            try await mcp.request(
                "tools/call",
                [
                    "name": "contacts_bulkUpdate", "arguments": ["filter": [:], "info": ["company": "Wix"]],
                    "_meta": ["progressToken": 7],
                ])
        }
        #expect(result["structuredContent"]?["count"] == 3)
        let summary = result["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        #expect(summary.hasPrefix("contacts.bulkUpdate: changed 3 of 3 matching contacts; group "))
        let progress = lines.parsed.filter { $0["method"] == "notifications/progress" }
        #expect(progress.map { $0["params"]?["progressToken"] } == [7])
        #expect(progress.last?["params"]?["progress"] == 3)
        #expect(progress.last?["params"]?["total"] == 3)
    }
}
