import Foundation
import JSONCore
@testable import JSONRPC
import Testing

/// How a run ends: end of input, a closed output, a signal.
@Suite("Lifecycle")
struct LifecycleTests {
    @Test func emptyInputEndsWithEndOfInput() async throws {
        let server = PipeServer(handler: EchoHandler())
        let (reason, lines) = try await server.finish()
        #expect(reason == .endOfInput)
        #expect(lines.isEmpty)
    }

    @Test func endOfInputWaitsForInFlightRequests() async throws {
        let gate = Gate()
        let started = EventLog()
        let server = PipeServer(
            handler: ClosureHandler { _ in
                started.record("slow")
                await gate.pass()
                return "done"
            })
        try await server.send(requestLine("slow", id: 1))
        try await withDeadline(20, "the handler to start") { await started.waitForCount(1) }
        server.closeInput()
        gate.open()
        let (reason, lines) = try await server.finish()
        #expect(reason == .endOfInput)
        #expect(lines.count == 1)
    }

    #if os(Linux)
        @Test func theServersThreadsAreNamedForWhatTheyDo() async throws {
            let server = PipeServer(handler: EchoHandler())
            // Answered: both threads have started (and named themselves first).
            try await server.send(requestLine("echo", id: 1, params: ["value": 1]))
            _ = try await server.readLines(1)
            let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
            let names = tasks.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
                .map { $0.trimmingCharacters(in: .newlines) }
            #expect(names.contains("jsonrpc-reader"))
            #expect(names.contains("jsonrpc-writer"))
            _ = try await server.finish()
        }
    #endif

    @Test func closedOutputEndsTheRunQuietly() async throws {
        let server = PipeServer(handler: EchoHandler())
        server.closeOutputReader()
        try await server.send(requestLine("echo", id: 1, params: ["value": 1]))
        // The input stays open: the server must stop on its own.
        #expect(try await server.stopReason() == .outputClosed)
    }

    @Test func firstSignalStopsGracefullyAfterInFlightWork() async throws {
        let gate = Gate()
        let started = EventLog()
        let server = PipeServer(
            handler: ClosureHandler { request in
                if request.method == "slow" {
                    started.record("slow")
                    await gate.pass()
                }
                return .string(request.method)
            },
            handlesSignals: true
        )
        try await server.send(requestLine("ping", id: 1))
        _ = try await server.readLines(1)  // the run (and its signal routing) is up
        try await server.send(requestLine("slow", id: 2))
        try await withDeadline(20, "the slow handler to start") { await started.waitForCount(1) }
        // What the dispatch source does on SIGTERM, without sending a real signal to the test runner
        // (a second one would end the process).
        SignalTrap.shared.deliver(SIGTERM)
        gate.open()
        let lines = try await server.readLines(1)
        #expect(try parse(lines[0])["result"] == "slow")
        #expect(try await server.stopReason() == .signal(SIGTERM))
    }
}
