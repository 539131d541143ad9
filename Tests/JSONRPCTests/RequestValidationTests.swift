import JSONCore
import JSONRPC
import Testing

/// Envelope validation, `$/` protocol methods and how handler errors reach the client.
@Suite("Request validation and errors")
struct RequestValidationTests {
    /// Sends one line and returns the single response (or fails).
    private func answer(to line: String, handler: some RPCMethodHandler = EchoHandler()) async throws -> JSONValue {
        let server = PipeServer(handler: handler)
        try await server.send(line + "\n")
        let (_, lines) = try await server.finish()
        try #require(lines.count == 1, "got \(lines)")
        return try parse(lines[0])
    }

    @Test(arguments: [
        (#"{"jsonrpc":"1.0","method":"echo","id":9}"#, JSONValue.int(9)),
        (#"{"method":"echo","id":"a"}"#, "a"),
        (#"{"jsonrpc":2.0,"method":"echo","id":3}"#, 3),
        (#"{"jsonrpc":"2.0","id":4}"#, 4),
        (#"{"jsonrpc":"2.0","method":null,"id":5}"#, 5),
        (#"{"jsonrpc":"2.0","method":"echo","params":"bar","id":6}"#, 6),
        (#"{"jsonrpc":"2.0","method":"echo","params":7,"id":7}"#, 7),
        (#"{"jsonrpc":"2.0","method":"echo","id":{"a":1}}"#, .null),
        (#"{"jsonrpc":"2.0","method":"echo","id":[1]}"#, .null),
        (#"{"jsonrpc":"2.0","method":"echo","id":true}"#, .null),
        (#""just a string""#, .null),
        (#"{"jsonrpc":"2.0","method":"echo","params":true}"#, .null),
    ])
    func invalidRequestIsAnsweredWithTheIdWhenReadable(line: String, id: JSONValue) async throws {
        let response = try await answer(to: line)
        #expect(errorCode(response) == -32600)
        #expect(responseID(response) == id)
        #expect(response["result"] == nil)
    }

    @Test func unknownProtocolRequestIsMethodNotFound() async throws {
        let response = try await answer(to: #"{"jsonrpc":"2.0","method":"$/unknown","id":3}"#)
        #expect(errorCode(response) == -32601)
        #expect(responseID(response) == 3)
    }

    @Test func protocolNotificationsAndUnknownCancelsAreIgnored() async throws {
        let server = PipeServer(handler: EchoHandler())
        try await server.send(
            #"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":999}}"# + "\n"
                + #"{"jsonrpc":"2.0","method":"$/progress","params":{"token":1}}"# + "\n"
                + requestLine("echo", id: 1, params: ["value": 1])
        )
        let (_, lines) = try await server.finish()
        #expect(lines.count == 1)
        #expect(try responseID(parse(lines[0])) == 1)
    }

    @Test func responseErrorPassesThroughWithItsData() async throws {
        let handler = ClosureHandler { _ in
            throw ResponseError(code: -32009, message: "The contact changed.", data: ["currentRevision": 4])
        }
        let response = try await answer(to: #"{"jsonrpc":"2.0","method":"update","id":1}"#, handler: handler)
        #expect(
            response["error"]
                == ["code": -32009, "message": "The contact changed.", "data": ["currentRevision": 4]]
        )
    }

    @Test func unexpectedHandlerErrorBecomesAGenericInternalError() async throws {
        struct Leaky: Error, CustomStringConvertible { var description: String { "password=s3cr3t" } }
        let response = try await answer(
            to: #"{"jsonrpc":"2.0","method":"boom","id":1}"#,
            handler: ClosureHandler { _ in throw Leaky() }
        )
        #expect(errorCode(response) == -32603)
        #expect(response["error"]?["message"]?.stringValue?.contains("s3cr3t") == false)
        #expect(response["error"]?["data"] == nil)
    }

    @Test func notificationErrorsAreNeverAnswered() async throws {
        let server = PipeServer(handler: ClosureHandler { _ in throw ResponseError.invalidParams("No.") })
        try await server.send(#"{"jsonrpc":"2.0","method":"anything","params":[1]}"# + "\n")
        let (_, lines) = try await server.finish()
        #expect(lines.isEmpty)
    }
}
