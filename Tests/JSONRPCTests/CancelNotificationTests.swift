import JSONCore
import JSONRPC
import Testing

/// ``ServerConfiguration/cancelNotifications``: which notifications cancel a request, so a
/// protocol on this core (MCP's `notifications/cancelled`) cancels the same way.
@Suite("Configured cancel notifications")
struct CancelNotificationTests {
    private static let mcpCancel = CancelNotification(method: "notifications/cancelled", idParam: "requestId")

    @Test func aConfiguredNotificationCancelsARequestWithoutReachingTheHandler() async throws {
        let log = EventLog()
        let (release, _) = AsyncStream<Void>.makeStream()
        let handler = ClosureHandler { request in
            log.record(request.method)
            for await _ in release {}  // ends when the task is cancelled
            try Task.checkCancellation()
            return "finished"
        }
        let server = PipeServer(handler: handler, cancelNotifications: [Self.mcpCancel])
        try await server.send(requestLine("slow", id: 7))
        try await withDeadline(20, "the slow handler to start") { await log.waitForCount(1) }
        try await server.send(
            #"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7,"reason":"user"}}"# + "\n")
        let response = try parse(try await server.readLines(1)[0])
        #expect(errorCode(response) == -32800)
        #expect(responseID(response) == 7)
        _ = try await server.finish()
        #expect(log.all == ["slow"])
    }

    @Test func cancelRequestCancelsNothingWhenNotConfigured() async throws {
        let gate = Gate()
        let log = EventLog()
        let handler = ClosureHandler { request in
            log.record(request.method)
            await gate.pass()
            return "finished"
        }
        let server = PipeServer(handler: handler, cancelNotifications: [Self.mcpCancel])
        try await server.send(requestLine("slow", id: 7))
        try await withDeadline(20, "the slow handler to start") { await log.waitForCount(1) }
        try await server.send(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":7}}"# + "\n")
        gate.open()
        let (_, lines) = try await server.finish()
        #expect(try lines.map(parse).first?["result"] == "finished")
    }
}
