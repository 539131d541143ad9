import JSONCore
import JSONRPC
import Testing

/// A handler that sends two notifications from inside the request before answering.
private struct ChattyHandler: RPCMethodHandler {
    func handle(_ request: RPCRequest) async throws -> JSONValue {
        let notifier = RPCNotifier.current
        notifier?.notify("$/progress", params: ["id": request.id?.jsonValue ?? .null, "completed": 1])
        notifier?.notify("note")
        return ["hadNotifier": .bool(notifier != nil)]
    }
}

@Suite struct NotifierTests {
    @Test func aHandlersNotificationsComeBeforeItsResponseOnTheSameOutput() async throws {
        let server = PipeServer(handler: ChattyHandler())
        let (_, lines) = try await server.finish(sending: #"{"jsonrpc":"2.0","id":7,"method":"work"}"# + "\n")
        #expect(
            try lines.map { try JSONValue.parse($0) } == [
                ["jsonrpc": "2.0", "method": "$/progress", "params": ["id": 7, "completed": 1]],
                ["jsonrpc": "2.0", "method": "note"],
                ["jsonrpc": "2.0", "id": 7, "result": ["hadNotifier": true]],
            ])
    }

    @Test func thereIsNoNotifierOutsideAHandler() {
        #expect(RPCNotifier.current == nil)
    }
}
