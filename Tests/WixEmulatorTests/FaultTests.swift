import Hummingbird
import HummingbirdTesting
import JSONCore
import Testing
import WixEmulator

/// Fault injection and request counting through the `/_emulator` control routes.
@Suite struct FaultTests {
    static let query = "/contacts/v4/contacts/query"

    @Test func rateLimitForTheNextTwoRequestsThenSuccess() async throws {
        try await EmulatorHarness.with { h in
            try await h.test { client in
                let armed = try await client.call(
                    .post, "/_emulator/faults",
                    json: ["kind": "status", "status": 429, "retryAfterSeconds": 3, "count": 2], headers: [:])
                #expect(armed.status == 200)
                for _ in 0..<2 {
                    let limited = try await client.call(.post, Self.query)
                    #expect(limited.status == 429)
                    #expect(limited.headers[.retryAfter] == "3")
                    #expect(limited.applicationCode == "RATE_LIMITED")
                }
                #expect(try await client.call(.post, Self.query).status == 200)
                let left = try await client.call(.get, "/_emulator/faults", headers: [:])
                #expect(left.json == ["faults": []])
            }
        }
    }

    @Test func rateOneFailsEveryMatchingRequestUntilCleared() async throws {
        try await EmulatorHarness.with { h in
            try await h.test { client in
                _ = try await client.call(
                    .post, "/_emulator/faults",
                    json: [
                        "kind": "status", "status": 503, "rate": 1.0, "methods": ["post"], "pathPrefix": "/contacts",
                    ],
                    headers: [:])
                for _ in 0..<3 {
                    let reply = try await client.call(.post, Self.query)
                    #expect(reply.status == 503)
                    #expect(reply.applicationCode == "UNAVAILABLE")
                    #expect(reply.headers[.retryAfter] == nil)
                }
                // Another method is not affected.
                #expect(try await client.call(.get, "/contacts/v4/contacts/x").status == 404)
                _ = try await client.call(.delete, "/_emulator/faults", headers: [:])
                #expect(try await client.call(.post, Self.query).status == 200)
            }
        }
    }

    @Test func rateZeroNeverFires() async throws {
        try await EmulatorHarness.with { h in
            await h.emulator.faults.add(FaultRule(kind: .status, status: 500, rate: 0))
            try await h.test { client in
                for _ in 0..<5 {
                    let reply = try await client.call(.post, Self.query)
                    #expect(reply.status == 200)
                }
            }
        }
    }

    @Test func latencyDelaysTheAnswer() async throws {
        try await EmulatorHarness.with { h in
            try await h.test { client in
                _ = try await client.call(
                    .post, "/_emulator/faults", json: ["kind": "latency", "latencyMs": 250, "count": 1], headers: [:])
                let clock = ContinuousClock()
                let start = clock.now
                let reply = try await client.call(.post, Self.query)
                #expect(reply.status == 200)
                #expect(clock.now - start >= .milliseconds(250))
            }
        }
    }

    @Test func requestsAreCountedPerRouteTemplateAndReset() async throws {
        try await EmulatorHarness.with { h in
            let id = try await h.seed(["name": ["first": "Ada"]])
            try await h.test { client in
                _ = try await client.call(.get, "/contacts/v4/contacts/\(id)")
                _ = try await client.call(.get, "/contacts/v4/contacts/other")
                _ = try await client.call(
                    .patch, "/contacts/v4/contacts/\(id)", json: ["info": ["company": "A"], "revision": 1])
                _ = try await client.call(.post, Self.query, headers: [:])  // counted even when rejected
                let counts = try await client.call(.get, "/_emulator/requests", headers: [:])
                #expect(
                    counts.json == [
                        "GET /contacts/v4/contacts/{id}": 2, "PATCH /contacts/v4/contacts/{id}": 1,
                        "POST /contacts/v4/contacts/query": 1,
                    ])
                #expect(await h.emulator.requests.count("GET /contacts/v4/contacts/{id}") == 2)
                let reset = try await client.call(.delete, "/_emulator/requests", headers: [:])
                #expect(reset.json == [:])
            }
        }
    }

    @Test func invalidFaultIsAValidationError() async throws {
        try await EmulatorHarness.with { h in
            try await h.test { client in
                let badKind = try await client.call(.post, "/_emulator/faults", json: ["kind": "explode"], headers: [:])
                #expect(badKind.status == 400)
                #expect(badKind.violatedFields == ["kind"])
                let badRate = try await client.call(
                    .post, "/_emulator/faults", json: ["kind": "status", "rate": 2], headers: [:])
                #expect(badRate.violatedFields == ["rate"])
                let several = try await client.call(
                    .post, "/_emulator/faults",
                    json: ["faults": [["kind": "latency", "latencyMs": 1], ["kind": "drop", "after": true]]],
                    headers: [:])
                #expect(several.json["faults"]?.arrayValue?.count == 2)
            }
        }
    }

    @Test func faultRuleJSONRoundTrips() throws {
        let rule = FaultRule(kind: .drop, count: 1, methods: ["PATCH"], pathPrefix: "/contacts", after: true)
        #expect(try FaultRule(json: rule.json) == rule)
        #expect(FaultRule(kind: .status, status: 429).retryAfterSeconds == 1)
    }
}
