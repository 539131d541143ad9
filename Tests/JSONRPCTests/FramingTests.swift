import JSONCore
import JSONRPC
import Testing

/// The transport over real pipes: framing, limits, garbage, ids and the bytes on the wire.
@Suite("Framing over pipes")
struct FramingTests {
    @Test(arguments: [
        #""abc""#, #""""#, #""\u00fc\u2028 \"quoted\"""#, "42", "-7", "0", "9223372036854775807", "1.5", "-0.25",
        "null",
    ])
    func idIsEchoedVerbatim(_ idText: String) async throws {
        let server = PipeServer(handler: EchoHandler())
        try await server.send(#"{"jsonrpc":"2.0","method":"echo","params":{"value":true},"id":\#(idText)}"# + "\n")
        let (_, lines) = try await server.finish()
        try #require(lines.count == 1)
        let response = try parse(lines[0])
        #expect(responseID(response) == (try JSONValue.parse(idText)))
        #expect(response["result"] == .bool(true))
        #expect(lines[0].hasPrefix(#"{"jsonrpc":"2.0","id":"#))
    }

    @Test func overlongLineGetsInvalidRequestWithNullIdAndServingContinues() async throws {
        let server = PipeServer(handler: EchoHandler(), maxLineBytes: 1024)
        let long =
            #"{"jsonrpc":"2.0","method":"echo","params":{"value":""# + String(repeating: "x", count: 5000)
            + #""},"id":1}"#
        try await server.send(long + "\n" + requestLine("echo", id: 2, params: ["value": "ok"]))
        let lines = try await server.readLines(2)
        let first = try parse(lines[0])
        #expect(errorCode(first) == -32600)
        #expect(responseID(first) == .null)
        let second = try parse(lines[1])
        #expect(responseID(second) == 2)
        #expect(second["result"] == "ok")
        let (reason, rest) = try await server.finish()
        #expect(reason == .endOfInput)
        #expect(rest.isEmpty)
    }

    @Test func tenThousandGarbageLinesEachGetOneErrorAndServingContinues() async throws {
        var random = SeededGenerator(seed: 0x5EED)
        var input: [UInt8] = []
        for index in 0..<10_000 {
            input.append(contentsOf: garbageLine(index, using: &random))
            input.append(UInt8(ascii: "\n"))
        }
        input.append(contentsOf: requestLine("echo", id: "final", params: ["value": "alive"]).utf8)

        let server = PipeServer(handler: EchoHandler())
        let (reason, lines) = try await server.finish(sending: input)
        #expect(reason == .endOfInput)
        #expect(lines.count == 10_001)
        var errors = 0
        var finalAnswered = false
        for line in lines {
            let response = try parse(line)
            if responseID(response) == "final" {
                finalAnswered = response["result"] == "alive"
            } else if let code = errorCode(response), code == -32700 || code == -32600, responseID(response) == .null {
                errors += 1
            }
        }
        #expect(errors == 10_000)
        #expect(finalAnswered)
    }

    @Test func crlfLinesAreAnsweredAndBlankLinesIgnored() async throws {
        let server = PipeServer(handler: EchoHandler())
        let first = requestLine("echo", id: 1, params: ["value": "a"]).dropLast() + "\r\n"
        let second = requestLine("echo", id: 2, params: ["value": "b"]).dropLast() + "\r\n"
        try await server.send(first + "\r\n   \t\r\n" + second + "\n")
        let (_, lines) = try await server.finish()
        let responses = try lines.map(parse)
        #expect(responses.count == 2)
        #expect(Set(responses.compactMap { $0["result"]?.stringValue }) == ["a", "b"])
    }

    @Test func endOfInputFlushesEveryResponse() async throws {
        let server = PipeServer(handler: EchoHandler())
        let input = (0..<1_000).map { requestLine("echo", id: .int($0), params: ["value": .int($0)]) }.joined()
        let (reason, lines) = try await server.finish(sending: input)
        #expect(reason == .endOfInput)
        #expect(lines.count == 1_000)
        let ids = try Set(lines.map { try parse($0)["id"]?.intValue ?? -1 })
        #expect(ids == Set(0..<1_000))
    }

    @Test func lineSeparatorsInResultsAreEscapedOnTheWire() async throws {
        let server = PipeServer(handler: EchoHandler())
        try await server.send(requestLine("echo", id: 1, params: ["value": "a\u{2028}b\u{2029}c\nd"]))
        let (_, lines) = try await server.finish()
        try #require(lines.count == 1)
        #expect(lines[0].contains(#"a\u2028b\u2029c\nd"#))
        #expect(!lines[0].unicodeScalars.contains { $0 == "\u{2028}" || $0 == "\u{2029}" })
        #expect(try parse(lines[0])["result"] == "a\u{2028}b\u{2029}c\nd")
    }

    @Test func rawResultFragmentsAreWrittenVerbatim() async throws {
        let raw = RawJSON(trusted: Array(#"{"stored":[1,2,{"x":"y"}]}"#.utf8))
        let server = PipeServer(handler: ClosureHandler { _ in ["contact": .raw(raw)] })
        try await server.send(requestLine("get", id: 1))
        let (_, lines) = try await server.finish()
        #expect(lines == [#"{"jsonrpc":"2.0","id":1,"result":{"contact":{"stored":[1,2,{"x":"y"}]}}}"#])
    }

    // MARK: - Garbage

    /// One line that is not a valid request and has no readable id.
    private func garbageLine(_ index: Int, using random: inout SeededGenerator) -> [UInt8] {
        switch index % 6 {
        case 0:  // a request cut short
            let full = Array(#"{"jsonrpc":"2.0","method":"echo","params":{"value":[1,2,3]},"id":\#(index)}"#.utf8)
            return Array(full[..<Int.random(in: 1..<full.count, using: &random)])
        case 1:  // binary noise (no newline; the first byte is never white space)
            return [0xFF]
                + (0..<Int.random(in: 0..<200, using: &random)).map { _ in
                    var byte = UInt8.random(in: 0...255, using: &random)
                    if byte == 0x0A { byte = 0x00 }
                    return byte
                }
        case 2:  // JSON that is not a request object
            return Array(
                ["42", #""text""#, "true", "null", #"{"jsonrpc":"2.0"}"#, #"{"method":"echo"}"#][index / 6 % 6].utf8)
        case 3:  // invalid UTF-8 inside a string
            return Array(#"{"jsonrpc":"2.0","method":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        case 4:  // nesting past the parser's depth limit
            return [UInt8](repeating: UInt8(ascii: "["), count: 2_000)
                + [UInt8](repeating: UInt8(ascii: "]"), count: 2_000)
        default:  // words
            return Array("not json \(index) {".utf8)
        }
    }
}

/// A deterministic generator, so a failure can be reproduced.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        // SplitMix64.
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
