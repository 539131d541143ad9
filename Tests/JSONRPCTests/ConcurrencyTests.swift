import Foundation
import JSONCore
import JSONRPC
import Testing

/// Concurrency, per-key ordering and the in-flight bound.
@Suite("Concurrency and ordering")
struct ConcurrencyTests {
    @Test func sameKeyRequestsRunOneAfterAnotherInArrivalOrder() async throws {
        let log = EventLog()
        let handler = ClosureHandler(
            keys: keysParam,
            body: { request in
                let key = request.params?["key"]?.stringValue ?? "-"
                let sequence = request.params?["n"]?.intValue ?? -1
                log.record("start \(key) \(sequence)")
                // Random interleaving points, so unordered execution would show.
                for _ in 0..<Int.random(in: 0...20) { await Task.yield() }
                log.record("end \(key) \(sequence)")
                return .int(sequence)
            }
        )
        let server = PipeServer(handler: handler)
        let keys = ["a", "b", "c"]
        var input = ""
        for n in 0..<300 {
            input += requestLine("work", id: .int(n), params: ["key": .string(keys[n % 3]), "n": .int(n)])
        }
        let (_, lines) = try await server.finish(sending: input)
        #expect(lines.count == 300)

        for key in keys {
            let events = log.all.filter { $0.split(separator: " ")[1] == key }
            let expected = (0..<300).filter { keys[$0 % 3] == key }.flatMap {
                ["start \(key) \($0)", "end \(key) \($0)"]
            }
            #expect(events == expected, "key \(key) ran out of order")
        }
    }

    @Test func differentKeysMayCompleteOutOfOrderAndAreMatchedById() async throws {
        let gate = Gate()
        let handler = ClosureHandler(
            keys: keysParam,
            body: { request in
                if request.method == "slow" { await gate.pass() }
                return .string(request.method)
            }
        )
        let server = PipeServer(handler: handler)
        try await server.send(
            requestLine("slow", id: "s", params: ["key": "a"]) + requestLine("fast", id: "f", params: ["key": "b"])
        )
        let first = try await server.readLines(1)
        #expect(try responseID(parse(first[0])) == "f")
        gate.open()
        let second = try await server.readLines(1)
        #expect(try parse(second[0])["result"] == "slow")
        #expect(try responseID(parse(second[0])) == "s")
        _ = try await server.finish()
    }

    @Test func inFlightRequestsNeverExceedTheBound() async throws {
        let gate = Gate()
        let started = EventLog()
        let counter = ConcurrencyCounter()
        let handler = ClosureHandler { request in
            counter.enter()
            started.record("\(request.id!)")
            await gate.pass()
            counter.leave()
            return true
        }
        let server = PipeServer(handler: handler, maxInFlight: 4)
        try await server.send((0..<40).map { requestLine("hold", id: .int($0)) }.joined())
        try await withDeadline(20, "four handlers to start") { await started.waitForCount(4) }
        // One finishes, one more may start: the bound holds at every step.
        for step in 5...40 {
            gate.release(1)
            try await withDeadline(20, "handler \(step) to start") { await started.waitForCount(step) }
            #expect(counter.maximum <= 4)
        }
        gate.open()
        let (_, lines) = try await server.finish()
        #expect(lines.count == 40)
        #expect(counter.maximum == 4)
    }

    @Test func batchElementsRunConcurrently() async throws {
        // The first element can only finish once the second one ran: a sequential batch would hang.
        let gate = Gate()
        let handler = ClosureHandler { request in
            if request.method == "wait" { await gate.pass() } else { gate.open() }
            return .string(request.method)
        }
        let server = PipeServer(handler: handler)
        try await server.send(
            "[" + requestLine("wait", id: 1).dropLast() + "," + requestLine("open", id: 2).dropLast() + "]\n"
        )
        let lines = try await server.readLines(1)
        let responses = try #require(try parse(lines[0]).arrayValue)
        #expect(Set(responses.compactMap { $0["result"]?.stringValue }) == ["wait", "open"])
        _ = try await server.finish()
    }
}

/// Counts concurrent calls and remembers the highest count.
final class ConcurrencyCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private var highest = 0

    func enter() {
        lock.withLock {
            current += 1
            highest = max(highest, current)
        }
    }

    func leave() {
        lock.withLock { current -= 1 }
    }

    var maximum: Int { lock.withLock { highest } }
}
