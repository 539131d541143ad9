import Foundation
import JSONCore
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SPEC §2 through the real binary and real pipes: framing, limits, ordering, shutdown.
@Suite("Transport (SPEC §2)")
struct TransportTests {
    private let exitedCleanly = GatewayProcess.Termination(exitCode: 0, signal: nil)

    @Test func overlongLineIsAnsweredInvalidRequestAndServingContinues() throws {
        let client = try GatewayClient(["--max-line-bytes", "2048"])
        let padding = String(repeating: "x", count: 10 * 1024)
        try client.process.send(#"{"jsonrpc":"2.0","id":99,"method":"gateway.status","params":{"p":"\#(padding)"}}"#)
        let rejection = try client.process.nextMessage()
        #expect(rejection.errorCode == -32600)
        #expect(rejection["id"] == .null)
        #expect(try client.result("gateway.status")["backend"] == "local")
        #expect(try client.finish() == exitedCleanly)
    }

    @Test func everyMalformedLineGetsExactlyOneErrorAndServingContinues() throws {
        let client = try GatewayClient()
        let samples: [(line: [UInt8], code: Int)] = [
            (Array("this is not json".utf8), -32700),
            (Array(#"{"jsonrpc":"2.0","id":1,"method":"#.utf8), -32700),
            ([0xFF, 0xFE, 0x00, 0x80, 0xC3], -32700),
            (Array("42".utf8), -32600),
            (Array(#"{"jsonrpc":"1.0","id":5,"method":"gateway.status"}"#.utf8), -32600),
        ]
        var input: [UInt8] = []
        var expected: [Int] = []
        for index in 0..<10_000 {
            let sample = samples[index % samples.count]
            input += sample.line + [UInt8(ascii: "\n")]
            expected.append(sample.code)
        }
        try client.process.write(input, timeout: 60)
        let responses = try client.process.nextMessages(expected.count, timeout: 60)
        #expect(responses.map { $0.errorCode ?? 0 } == expected)
        #expect(responses.allSatisfy { $0["id"] == .null || $0["id"] == 5 })
        #expect(try client.result("gateway.status")["backend"] == "local")
        #expect(try client.finish() == exitedCleanly)
        #expect(client.process.stdout.remainingLines().isEmpty)
    }

    @Test func endOfInputAfterManyPipelinedRequestsFlushesEveryResponse() throws {
        let client = try GatewayClient()
        var input = ""
        for index in 0..<250 {
            let info: JSONValue = [
                "name": ["first": .string("P\(index)")],
                "emails": ["items": [["email": .string("p\(index)@e2e.test")]]],
            ]
            input += requestLine("contacts.create", id: .int(2 * index), params: ["info": info]) + "\n"
            input += requestLine("contacts.get", id: .int(2 * index + 1), params: ["contactId": "missing"]) + "\n"
        }
        try client.process.write(Array(input.utf8), timeout: 60)
        #expect(try client.process.finish(timeout: 60) == exitedCleanly)
        let responses = try client.process.stdout.remainingLines().map { try JSONValue.parse($0) }
        #expect(responses.count == 500)
        #expect(Set(responses.compactMap { $0["id"]?.intValue }) == Set(0..<500))
        let created = responses.filter { ($0["id"]?.intValue ?? 1) % 2 == 0 }
        #expect(created.allSatisfy { $0["result"]?["auditId"]?.intValue != nil })
        #expect(responses.filter { $0.applicationCode == "CONTACT_NOT_FOUND" }.count == 250)
    }

    @Test func crlfLinesAreAccepted() throws {
        let client = try GatewayClient()
        try client.process.write(Array((requestLine("gateway.status", id: "crlf") + "\r\n").utf8))
        let response = try client.process.nextMessage()
        #expect(response["id"] == "crlf")
        #expect(response["result"]?["backend"] == "local")
        #expect(try client.finish() == exitedCleanly)
    }

    @Test func pipelinedMixedRequestsAreAllAnsweredAndMatchedById() throws {
        let client = try GatewayClient()
        let contactId = try client.createContact(["name": ["first": "Mixed"]])
        let methods: [(String, JSONValue?)] = [
            ("contacts.get", ["contactId": .string(contactId)]),
            ("gateway.status", nil),
            ("contacts.query", ["paging": ["limit": 5]]),
            ("contacts.get", ["contactId": "nobody"]),
            ("no.such.method", nil),
        ]
        var input = ""
        for index in 0..<200 {
            let (method, params) = methods[index % methods.count]
            input += requestLine(method, id: .string("r\(index)"), params: params) + "\n"
        }
        try client.process.write(Array(input.utf8))
        let responses = try client.process.nextMessages(200)
        var byID: [String: JSONValue] = [:]
        for response in responses { byID[response["id"]?.stringValue ?? "?"] = response }
        #expect(byID.count == 200)
        for index in 0..<200 {
            let response = try #require(byID["r\(index)"])
            switch index % methods.count {
            case 0: #expect(response["result"]?["contact"]?["id"] == .string(contactId))
            case 1: #expect(response["result"]?["backend"] == "local")
            case 2: #expect(response["result"]?["pagingMetadata"]?["total"] == 1)
            case 3: #expect(response.errorCode == -32004)
            default: #expect(response.errorCode == -32601)
            }
        }
        #expect(try client.finish() == exitedCleanly)
    }

    @Test func batchesAnswerArraysAndNotificationsNever() throws {
        let client = try GatewayClient()
        let status = requestLine("gateway.status", id: 1)
        let notification = requestLine("gateway.status", id: nil)
        try client.process.send(
            "[\(status),\(notification),\(requestLine("contacts.get", id: "two", params: ["contactId": "x"]))]")
        let batch = try #require(try client.process.nextMessage().arrayValue)
        #expect(batch.count == 2)
        #expect(Set(batch.compactMap { $0["id"] }.map(\.description)) == ["1", "\"two\""])

        try client.process.send("[]")
        let empty = try client.process.nextMessage()
        #expect(empty.arrayValue == nil)
        #expect(empty.errorCode == -32600)
        #expect(empty["id"] == .null)

        // Neither an all-notification batch nor a lone notification is answered: the next line
        // out is the answer to the marker request.
        try client.process.send("[\(notification),\(notification)]")
        try client.process.send(notification)
        try client.process.send(requestLine("gateway.status", id: "marker"))
        #expect(try client.process.nextMessage()["id"] == "marker")
        #expect(try client.finish() == exitedCleanly)
        #expect(client.process.stdout.remainingLines().isEmpty)
    }

    @Test func stdoutCarriesOnlyJSONAndStderrHasTheStartupLine() throws {
        let client = try GatewayClient()
        try client.process.send("garbage")
        #expect(try client.process.nextMessage().errorCode == -32700)
        _ = try client.result("rpc.discover")
        _ = try client.error("contacts.get", ["contactId": "none"])
        #expect(try client.finish() == exitedCleanly)
        let lines = String(decoding: client.process.stdout.allBytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 3)
        for line in lines { #expect(throws: Never.self) { try JSONValue.parse(String(line)) } }
        let stderr = client.process.stderr.text
        #expect(stderr.contains("serving JSON-RPC on stdio"))
        #expect(stderr.split(separator: "\n").count == 1)
    }

    @Test func sigtermWhileIdleExitsZero() throws {
        let client = try GatewayClient()
        _ = try client.result("gateway.status")  // started and serving
        client.process.deliver(signal: SIGTERM)
        #expect(try client.process.waitForExit() == exitedCleanly)
    }

    @Test func lineSeparatorInAContactFieldIsEscapedOnTheWire() throws {
        let client = try GatewayClient()
        let contactId = try client.createContact(["name": ["first": "Line\u{2028}Para\u{2029}End"]])
        try client.process.send(requestLine("contacts.get", id: 7, params: ["contactId": .string(contactId)]))
        let line = try client.process.stdout.nextLine()
        #expect(line.contains("\\u2028"))
        #expect(line.contains("\\u2029"))
        #expect(!line.unicodeScalars.contains { $0 == "\u{2028}" || $0 == "\u{2029}" })
        let response = try JSONValue.parse(line)
        #expect(response["result"]?["contact"]?["info"]?["name"]?["first"] == "Line\u{2028}Para\u{2029}End")
        #expect(try client.finish() == exitedCleanly)
    }
}
