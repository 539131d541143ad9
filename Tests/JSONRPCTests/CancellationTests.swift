import JSONCore
import JSONRPC
import Testing

/// `$/cancelRequest`: a cancelled request still gets exactly one response.
@Suite("Cancellation")
struct CancellationTests {
    private func cancelLine(_ id: JSONValue) -> String {
        #"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":\#(id)}}"# + "\n"
    }

    @Test func cancellingASlowRequestAnswersRequestCancelled() async throws {
        let started = EventLog()
        let (release, _) = AsyncStream<Void>.makeStream()
        let handler = ClosureHandler { _ in
            started.record("slow")
            // Ends early when the task is cancelled; nothing is ever yielded.
            for await _ in release {}
            try Task.checkCancellation()
            return "finished"
        }
        let server = PipeServer(handler: handler)
        try await server.send(requestLine("slow", id: 7))
        try await withDeadline(20, "the slow handler to start") { await started.waitForCount(1) }
        try await server.send(cancelLine(7))
        let lines = try await server.readLines(1)
        let response = try parse(lines[0])
        #expect(errorCode(response) == -32800)
        #expect(responseID(response) == 7)
        let (reason, rest) = try await server.finish()
        #expect(reason == .endOfInput)
        #expect(rest.isEmpty)
    }

    @Test func requestCancelledBeforeItStartsIsAnsweredWithoutRunningIt() async throws {
        let gate = Gate()
        let log = EventLog()
        let handler = ClosureHandler(
            keys: { $0.method == "probe" ? [] : ["same"] },
            body: { request in
                log.record(request.method)
                if request.method == "blocker" { await gate.pass() }
                return .string(request.method)
            }
        )
        let server = PipeServer(handler: handler)
        try await server.send(requestLine("blocker", id: 1) + requestLine("queued", id: 2))
        try await withDeadline(20, "the blocker to start") { await log.waitForCount(1) }
        // The probe is answered only after the reader has passed the cancel line.
        try await server.send(cancelLine(2) + requestLine("probe", id: 3))
        let probe = try await server.readLines(1)
        #expect(try responseID(parse(probe[0])) == 3)
        gate.open()
        let (_, lines) = try await server.finish()
        let responses = try lines.map(parse)
        #expect(responses.count == 2)
        #expect(responses.first { responseID($0) == 1 }?["result"] == "blocker")
        #expect(responses.first { responseID($0) == 2 }.flatMap(errorCode) == -32800)
        #expect(!log.all.contains("queued"))
    }

    @Test func handlerThatCommitsDespiteCancellationSendsItsResult() async throws {
        let gate = Gate()
        let started = EventLog()
        let handler = ClosureHandler { request in
            if request.method == "commit" {
                started.record("commit")
                await gate.pass()  // work that cannot be abandoned halfway
                return ["committed": true]
            }
            return "probe"
        }
        let server = PipeServer(handler: handler)
        try await server.send(requestLine("commit", id: "c"))
        try await withDeadline(20, "the commit to start") { await started.waitForCount(1) }
        try await server.send(cancelLine("c") + requestLine("probe", id: "p"))
        _ = try await server.readLines(1)
        gate.open()
        let (_, lines) = try await server.finish()
        try #require(lines.count == 1)
        #expect(try parse(lines[0])["result"] == ["committed": true])
    }
}
