import Foundation
import JSONCore
import JSONRPC
import Testing

/// A handler whose `read` is answered on the reader thread, and whose `write` waits at a gate.
private struct FastReadHandler: RPCMethodHandler {
    let gate: Gate
    let log: EventLog

    func orderingKeys(for request: RPCRequest) -> [String] { keysParam(request) }

    func handleImmediately(_ request: RPCRequest) -> Result<JSONValue, ResponseError>? {
        guard request.method == "read" else { return nil }
        log.record("immediate")
        return .success(["fast": true])
    }

    func handle(_ request: RPCRequest) async throws -> JSONValue {
        log.record(request.method)
        if request.method == "write" { await gate.pass() }
        return ["fast": false]
    }
}

/// One request line of `method` with the ordering key `key` (or `keys`), newline included.
private func line(_ id: Int, _ method: String, key: String) -> String {
    #"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":{"key":"\#(key)"}}"# + "\n"
}

private func line(_ id: Int, _ method: String, keys: [String]) -> String {
    let list = keys.map { "\"\($0)\"" }.joined(separator: ",")
    return #"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":{"keys":[\#(list)]}}"# + "\n"
}

@Suite struct ImmediateHandlingTests {
    @Test func aReadWithNothingAheadOfItIsAnsweredWithoutATask() async throws {
        let log = EventLog()
        let server = PipeServer(handler: FastReadHandler(gate: Gate(), log: log))
        let (_, lines) = try await server.finish(
            sending: line(1, "read", key: "a"))
        #expect(try lines.map { try JSONValue.parse($0) } == [["jsonrpc": "2.0", "id": 1, "result": ["fast": true]]])
        #expect(log.all == ["immediate"])
    }

    @Test func aReadBehindARunningWriteOnTheSameKeyWaitsItsTurn() async throws {
        let gate = Gate()
        let log = EventLog()
        let server = PipeServer(handler: FastReadHandler(gate: gate, log: log))
        try await server.send(line(1, "write", key: "a") + line(2, "read", key: "a") + line(3, "read", key: "b"))
        // The read on another key is answered at once, while the write still waits.
        let first = try await server.readLines(1)
        #expect(try JSONValue.parse(first[0])["id"] == 3)
        gate.open()
        let rest = try await server.readLines(2).map { try JSONValue.parse($0) }
        #expect(rest.map { $0["id"] } == [1, 2])
        #expect(rest.last?["result"]?["fast"] == false)  // ran in its task, after the write
        _ = try await server.finish()
    }

    @Test func readsAnsweredTogetherFromOneReadLeaveInOrderOfArrival() async throws {
        let log = EventLog()
        let server = PipeServer(handler: FastReadHandler(gate: Gate(), log: log))
        // One write(2) of many lines: the reader answers them all before it wakes the writer.
        try await server.send((1...50).map { line($0, "read", key: "k\($0)") }.joined())
        let answers = try await server.readLines(50).map { try JSONValue.parse($0) }
        #expect(answers.map { $0["id"] } == (1...50).map { JSONValue.int($0) })
        #expect(answers.allSatisfy { $0["result"]?["fast"] == true })
        #expect(log.all.count == 50)
        _ = try await server.finish()
    }

    @Test func anAnswerGivenAtOnceLeavesBeforeTheReaderWaitsForASlot() async throws {
        let gate = Gate()
        let log = EventLog()
        let server = PipeServer(handler: FastReadHandler(gate: gate, log: log), maxInFlight: 1)
        // The first write takes the only slot; the read is answered on the reader thread, which
        // then blocks on the second write until a slot frees. The read's answer must not wait
        // with it: the gate opens only once it has arrived.
        try await server.send(line(1, "write", key: "a") + line(2, "read", key: "b") + line(3, "write", key: "c"))
        let first = try await server.readLines(1)
        #expect(try JSONValue.parse(first[0])["id"] == 2)
        gate.open()
        let rest = try await server.readLines(2).map { try JSONValue.parse($0) }
        #expect(Set(rest.compactMap { $0["id"]?.intValue }) == [1, 3])
        _ = try await server.finish()
    }

    @Test func aLastLineWithoutANewlineIsAnsweredWhileEarlierWorkRuns() async throws {
        let gate = Gate()
        let log = EventLog()
        let server = PipeServer(handler: FastReadHandler(gate: gate, log: log))
        // The read is the input's last line and has no newline: it is answered when the input
        // ends, and must not wait there for the write to finish.
        try await server.send(line(1, "write", key: "a") + line(2, "read", key: "b").dropLast())
        server.closeInput()
        let first = try await server.readLines(1)
        #expect(try JSONValue.parse(first[0])["id"] == 2)
        gate.open()
        let (reason, rest) = try await server.finish()
        #expect(reason == .endOfInput)
        #expect(try rest.map { try JSONValue.parse($0)["id"] } == [1])
    }

    @Test func aReadWithTwoKeysWaitsWhenEitherKeyIsBusy() async throws {
        let gate = Gate()
        let log = EventLog()
        let server = PipeServer(handler: FastReadHandler(gate: gate, log: log))
        try await server.send(
            line(1, "write", key: "b") + line(2, "read", keys: ["a", "b"]) + line(3, "read", keys: ["c", "d"]))
        // The read whose keys are both free is answered at once; the one sharing key b waits.
        let first = try await server.readLines(1)
        #expect(try JSONValue.parse(first[0])["id"] == 3)
        gate.open()
        let rest = try await server.readLines(2).map { try JSONValue.parse($0) }
        #expect(rest.map { $0["id"] } == [1, 2])
        #expect(rest.last?["result"]?["fast"] == false)  // ran in its task, after the write
        _ = try await server.finish()
    }
}
