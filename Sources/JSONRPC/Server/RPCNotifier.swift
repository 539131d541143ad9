public import JSONCore

/// Sends notifications to the client from inside a handler: progress of a long request, log
/// messages. Each is one line on the same output as the responses, in the order sent, so a
/// request's notifications always come before its response.
///
/// The server makes one available to every handler task through ``current``:
///
/// ```swift
/// func handle(_ request: RPCRequest) async throws -> JSONValue {
///     RPCNotifier.current?.notify("$/progress", params: ["id": request.id?.jsonValue ?? .null, "completed": 1])
///     …
/// }
/// ```
public struct RPCNotifier: Sendable {
    private let send: @Sendable ([UInt8]) -> Void

    /// A notifier that hands each encoded line (newline included) to `send`; tests use it to
    /// collect notifications.
    public init(send: @escaping @Sendable ([UInt8]) -> Void) {
        self.send = send
    }

    /// The notifier of the request the current task is handling; `nil` outside a server's
    /// handler task.
    @TaskLocal public static var current: RPCNotifier?

    /// Writes `{"jsonrpc":"2.0","method":method,"params":params}` as one line.
    public func notify(_ method: String, params: JSONValue? = nil) {
        var line: [UInt8] = []
        line.reserveCapacity(96)
        line.append(contentsOf: #"{"jsonrpc":"2.0","method":"#.utf8)
        JSONValue.writeString(method, to: &line)
        if let params {
            line.append(contentsOf: #","params":"#.utf8)
            params.write(to: &line)
        }
        line.append(contentsOf: "}\n".utf8)
        send(line)
    }
}
