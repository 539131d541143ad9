import JSONCore
import JSONRPC
import Testing

/// Every example of the JSON-RPC 2.0 specification, section 7, sent over real pipes.
///
/// Responses are compared structurally with the specification's expected responses (member order
/// and batch order do not matter). Only the human-readable `error.message` is not compared word
/// for word: ours are full sentences; it must be a non-empty string.
@Suite("JSON-RPC 2.0 specification examples")
struct SpecificationExampleTests {
    // MARK: - Helpers

    /// Sends `input`, closes the input, and checks the output against `expected` (`nil`: no output).
    private func expect(_ input: String, answers expected: String?) async throws {
        let server = PipeServer(handler: SpecificationExampleHandler())
        try await server.send(input + "\n")
        let (reason, lines) = try await server.finish()
        #expect(reason == .endOfInput)
        guard let expected else {
            #expect(lines.isEmpty, "expected no response, got \(lines)")
            return
        }
        try #require(lines.count == 1, "expected one response line, got \(lines)")
        let actual = try normalised(parse(lines[0]))
        let wanted = try normalised(JSONValue.parse(expected))
        if case .array(let actualItems) = actual, case .array(let wantedItems) = wanted {
            #expect(sameElements(actualItems, wantedItems), "got \(lines[0])")
        } else {
            #expect(actual == wanted, "got \(lines[0])")
        }
    }

    /// The value with every `error.message` checked to be a non-empty string and then blanked.
    private func normalised(_ value: JSONValue) throws -> JSONValue {
        switch value {
        case .array(let items):
            return .array(try items.map(normalised))
        case .object(var response):
            if case .object(var error)? = response["error"] {
                let message = try #require(error["message"]?.stringValue)
                #expect(!message.isEmpty)
                error["message"] = ""
                response["error"] = .object(error)
            }
            return .object(response)
        default:
            return value
        }
    }

    /// Multiset equality.
    private func sameElements(_ lhs: [JSONValue], _ rhs: [JSONValue]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var remaining = rhs
        for item in lhs {
            guard let index = remaining.firstIndex(of: item) else { return false }
            remaining.remove(at: index)
        }
        return true
    }

    // MARK: - Examples

    @Test func positionalParameters() async throws {
        try await expect(
            #"{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}"#,
            answers: #"{"jsonrpc": "2.0", "result": 19, "id": 1}"#
        )
        try await expect(
            #"{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}"#,
            answers: #"{"jsonrpc": "2.0", "result": -19, "id": 2}"#
        )
    }

    @Test func namedParameters() async throws {
        try await expect(
            #"{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}"#,
            answers: #"{"jsonrpc": "2.0", "result": 19, "id": 3}"#
        )
        try await expect(
            #"{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}"#,
            answers: #"{"jsonrpc": "2.0", "result": 19, "id": 4}"#
        )
    }

    @Test func notificationsGetNoResponse() async throws {
        try await expect(#"{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}"#, answers: nil)
        try await expect(#"{"jsonrpc": "2.0", "method": "foobar"}"#, answers: nil)
    }

    @Test func nonExistentMethodIsMethodNotFound() async throws {
        try await expect(
            #"{"jsonrpc": "2.0", "method": "foobar", "id": "1"}"#,
            answers: #"{"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "1"}"#
        )
    }

    @Test func invalidJSONIsParseError() async throws {
        try await expect(
            #"{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]"#,
            answers: #"{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}"#
        )
    }

    @Test func invalidRequestObjectIsInvalidRequest() async throws {
        try await expect(
            #"{"jsonrpc": "2.0", "method": 1, "params": "bar"}"#,
            answers: #"{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}"#
        )
    }

    @Test func batchWithInvalidJSONIsOneParseError() async throws {
        try await expect(
            #"[ {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"}, {"jsonrpc": "2.0", "method" ]"#,
            answers: #"{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}"#
        )
    }

    @Test func emptyBatchIsOneInvalidRequest() async throws {
        try await expect(
            "[]",
            answers: #"{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}"#
        )
    }

    @Test func invalidBatchOfOneGetsAnArrayOfOneError() async throws {
        try await expect(
            "[1]",
            answers: #"[{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}]"#
        )
    }

    @Test func invalidBatchGetsOneErrorPerElement() async throws {
        try await expect(
            "[1,2,3]",
            answers: #"""
                [
                  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
                  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
                  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}
                ]
                """#
        )
    }

    @Test func mixedBatchAnswersEveryRequestButNoNotification() async throws {
        try await expect(
            #"""
            [{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"}, {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}, {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"}, {"foo": "boo"}, {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"}, {"jsonrpc": "2.0", "method": "get_data", "id": "9"}]
            """#,
            answers: #"""
                [
                  {"jsonrpc": "2.0", "result": 7, "id": "1"},
                  {"jsonrpc": "2.0", "result": 19, "id": "2"},
                  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
                  {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "5"},
                  {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"}
                ]
                """#
        )
    }

    @Test func allNotificationBatchGetsNothing() async throws {
        try await expect(
            #"[{"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]}, {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}]"#,
            answers: nil
        )
    }
}
