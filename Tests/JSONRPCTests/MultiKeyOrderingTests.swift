import Foundation
import JSONCore
import JSONRPC
import Testing

/// Requests with several ordering keys (a merge names its target and its sources): each runs
/// after every earlier request sharing any of its keys, and before every later one.
@Suite("Ordering with several keys")
struct MultiKeyOrderingTests {
    @Test func aTwoKeyRequestWaitsForBothKeysWhileUnrelatedKeysRun() async throws {
        let gates = ["holdA": Gate(), "holdB": Gate()]
        let log = EventLog()
        let handler = ClosureHandler(
            keys: keysParam,
            body: { request in
                log.record("start \(request.method)")
                if let gate = gates[request.method] { await gate.pass() }
                log.record("end \(request.method)")
                return .string(request.method)
            }
        )
        let server = PipeServer(handler: handler)
        // Given a request held on key a and one held on key b,
        try await server.send(
            requestLine("holdA", id: 1, params: ["key": "a"]) + requestLine("holdB", id: 2, params: ["key": "b"])
                + requestLine("both", id: 3, params: ["keys": ["a", "b"]])
                + requestLine("afterA", id: 4, params: ["key": "a"])
                + requestLine("afterB", id: 5, params: ["key": "b"])
                + requestLine("other", id: 6, params: ["key": "c"]))
        // then a request on an unrelated key is answered while both are held,
        #expect(try responseID(parse(try await server.readLines(1)[0])) == 6)

        // and when only key a's request finishes, the two-key request still waits for key b.
        gates["holdA"]?.open()
        #expect(try responseID(parse(try await server.readLines(1)[0])) == 1)
        try await server.send(requestLine("probe", id: 7, params: ["key": "c"]))
        #expect(try responseID(parse(try await server.readLines(1)[0])) == 7)
        #expect(!log.all.contains("start both"))

        // When key b's request finishes, the two-key request runs, then the later ones on a and b.
        gates["holdB"]?.open()
        let rest = try await server.readLines(4).map { try responseID(parse($0))?.intValue }
        #expect(rest.first == 2)
        #expect(Set(rest.compactMap { $0 }) == [2, 3, 4, 5])
        _ = try await server.finish()

        let events = log.all
        func position(_ event: String) throws -> Int { try #require(events.firstIndex(of: event), "\(event)") }
        #expect(try position("start both") > position("end holdA"))
        #expect(try position("start both") > position("end holdB"))
        #expect(try position("start afterA") > position("end both"))
        #expect(try position("start afterB") > position("end both"))
    }

    @Test func requestsSharingAnyKeyRunOneAfterAnotherInArrivalOrder() async throws {
        // Key sets of one to three keys out of four, from a fixed-seed generator so a failure
        // can be replayed.
        let names = ["a", "b", "c", "d"]
        var random = SeededGenerator(seed: 0x5EED)
        let keySets: [[String]] = (0..<300).map { _ in
            let count = Int(random.next() % 3) + 1
            return Array(Set((0..<count).map { _ in names[Int(random.next() % 4)] })).sorted()
        }
        let log = EventLog()
        let handler = ClosureHandler(
            keys: keysParam,
            body: { request in
                let n = request.params?["n"]?.intValue ?? -1
                log.record("start \(n)")
                // Random interleaving points, so unordered execution would show.
                for _ in 0..<Int.random(in: 0...20) { await Task.yield() }
                log.record("end \(n)")
                return .int(n)
            }
        )
        let server = PipeServer(handler: handler)
        var input = ""
        for (n, keys) in keySets.enumerated() {
            input += requestLine(
                "work", id: .int(n), params: ["keys": .array(keys.map { .string($0) }), "n": .int(n)])
        }
        let (_, lines) = try await server.finish(sending: input)
        #expect(lines.count == keySets.count)

        let events = log.all
        for key in names {
            let mine = Set(keySets.indices.filter { keySets[$0].contains(key) })
            let observed = events.filter { mine.contains(Int($0.split(separator: " ")[1]) ?? -1) }
            let expected = mine.sorted().flatMap { ["start \($0)", "end \($0)"] }
            // Reported at the first difference: the whole list is long.
            let first =
                zip(observed, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(observed.count, expected.count)
            #expect(
                first == expected.count && observed.count == expected.count,
                "key \(key) ran out of order or overlapped at event \(first): \(observed.dropFirst(first).prefix(4))")
        }
    }
}
