import Foundation
import JSONCore
import Testing
import WixContacts
import WixEmulator

/// The REST client against the real emulator with injected faults; waits go through an instant
/// clock, so the tests assert the waits instead of sleeping.
@Suite struct ClientFaultTests {
    @Test func rateLimitedReadsWaitForRetryAfterThenSucceed() async throws {
        try await ClientHarness.with { harness in
            let id = try await harness.client.createContact(
                info: patch(["name": ["first": "A"]]), allowDuplicates: false
            ).id
            await harness.inject(
                FaultRule(kind: .status, status: 429, retryAfterSeconds: 2, count: 3, methods: ["GET"]))
            let snapshot = try await harness.client.contact(id: id)
            #expect(snapshot.id == id)
            #expect(harness.clock.sleeps == [.seconds(2), .seconds(2), .seconds(2)])
            #expect(await harness.count("GET /contacts/v4/contacts/{id}") == 4)
        }
    }

    @Test func a429StormOnWritesIsRetriedBecauseNothingWasApplied() async throws {
        try await ClientHarness.with { harness in
            let id = try await harness.client.createContact(
                info: patch(["name": ["first": "A"]]), allowDuplicates: false
            ).id
            await harness.inject(FaultRule(kind: .status, status: 429, count: 4, methods: ["PATCH"]))
            let updated = try await harness.client.updateContact(
                id: id, patch: patch(["company": "W"]), revision: 1, allowDuplicates: false)
            #expect(updated.revision == 2)
            #expect(await harness.count("PATCH /contacts/v4/contacts/{id}") == 5)
        }
    }

    @Test func serverErrorBurstsOnReadsAreRetriedWithGrowingBackoff() async throws {
        try await ClientHarness.with { harness in
            let id = try await harness.client.createContact(
                info: patch(["name": ["first": "A"]]), allowDuplicates: false
            ).id
            await harness.inject(FaultRule(kind: .status, status: 503, count: 3, methods: ["GET"]))
            _ = try await harness.client.contact(id: id)
            let sleeps = harness.clock.sleeps
            #expect(sleeps.count == 3)
            // 250 ms doubling, with jitter in 50...100 %.
            #expect(sleeps[0] >= .milliseconds(125) && sleeps[0] <= .milliseconds(250))
            #expect(sleeps[2] >= .milliseconds(500) && sleeps[2] <= .milliseconds(1000))
        }
    }

    @Test func readsGiveUpAfterMaxRetriesWithUnavailable() async throws {
        try await ClientHarness.with { harness in
            await harness.inject(FaultRule(kind: .status, status: 503, methods: ["GET"]))
            await #expect {
                _ = try await harness.client.contact(id: "x")
            } throws: { error in
                (error as? ContactsError)?.httpStatus == 503
            }
            #expect(await harness.count("GET /contacts/v4/contacts/{id}") == 5)
        }
    }

    @Test func aPatchWhoseResponseIsLostIsSettledByReadingNotResent() async throws {
        try await ClientHarness.with { harness in
            let id = try await harness.client.createContact(
                info: patch(["name": ["first": "A"]]), allowDuplicates: false
            ).id
            await harness.inject(FaultRule(kind: .drop, count: 1, methods: ["PATCH"], after: true))
            let updated = try await harness.client.updateContact(
                id: id, patch: patch(["company": "W"]), revision: 1, allowDuplicates: false)
            #expect(updated.revision == 2)
            #expect(try updated.contact().info.company == "W")
            #expect(await harness.count("PATCH /contacts/v4/contacts/{id}") == 1)
            #expect(await harness.count("GET /contacts/v4/contacts/{id}") == 1)
        }
    }

    @Test func aPatchDroppedBeforeItLandedIsSentAgainAfterTheRead() async throws {
        try await ClientHarness.with { harness in
            let id = try await harness.client.createContact(
                info: patch(["name": ["first": "A"]]), allowDuplicates: false
            ).id
            await harness.inject(FaultRule(kind: .drop, count: 1, methods: ["PATCH"], after: false))
            let updated = try await harness.client.updateContact(
                id: id, patch: patch(["company": "W"]), revision: 1, allowDuplicates: false)
            #expect(updated.revision == 2)
            #expect(await harness.count("PATCH /contacts/v4/contacts/{id}") == 2)
        }
    }

    /// Labels the contact already holds prove nothing about a lost call: Wix moves the revision
    /// on every label call, so only a contact past the revision it was read at settles it.
    @Test func aLabelCallDroppedBeforeItLandedIsSentAgainEvenWhenTheLabelIsAlreadyHeld() async throws {
        try await ClientHarness.with { harness in
            let key = try await harness.client.findOrCreateLabel(displayName: "VIP").key
            let id = try await harness.client.createContact(
                info: patch(["name": ["first": "A"]]), allowDuplicates: false
            ).id
            let labeled = try await harness.client.labelContact(id: id, labelKeys: [key], sentAt: 1)
            #expect(labeled.revision == 2)
            await harness.inject(FaultRule(kind: .drop, count: 1, methods: ["POST"], after: false))
            let again = try await harness.client.labelContact(id: id, labelKeys: [key], sentAt: 2)
            #expect(again.revision == 3)
            #expect(await harness.count("POST /contacts/v4/contacts/{id}/labels") == 3)
        }
    }

    @Test func aCreateWhoseResponseIsLostIsFoundByQueryNotMadeTwice() async throws {
        try await ClientHarness.with { harness in
            await harness.inject(FaultRule(kind: .drop, count: 1, methods: ["POST"], after: true))
            let created = try await harness.client.createContact(
                info: patch(["name": ["first": "Lost"], "emails": ["items": [["email": "lost@example.com"]]]]),
                allowDuplicates: false)
            #expect(try created.contact().info.name?.first == "Lost")
            #expect(try await harness.store.count() == 1)
            #expect(await harness.count("POST /contacts/v4/contacts") == 1)
            #expect(await harness.count("POST /contacts/v4/contacts/query") == 1)
        }
    }

    @Test func aCreateThatGotA503IsSentAgainOnceTheQueryShowsNothing() async throws {
        try await ClientHarness.with { harness in
            // Only the create itself fails: nothing was made, so it is sent again.
            await harness.inject(
                FaultRule(kind: .status, status: 503, count: 2, methods: ["POST"], pathPrefix: "/contacts/v4/contacts"))
            let created = try await harness.client.createContact(
                info: patch(["name": ["first": "Retry"], "company": "Co", "emails": ["items": [["email": "r@x.test"]]]]
                ),
                allowDuplicates: false)
            #expect(try created.contact().info.company == "Co")
            #expect(try await harness.store.count() == 1)
            let posts = await harness.count("POST /contacts/v4/contacts")
            let queries = await harness.count("POST /contacts/v4/contacts/query")
            #expect(posts + queries >= 4, "two 503s, then a query that found nothing and a create")
            #expect(posts >= 2)
        }
    }

    /// Where an identical contact may already exist (duplicates allowed), the ones that do are
    /// noted before the create, so a create that never landed is sent again instead of being
    /// mistaken for one of them.
    @Test func aLostCreateWithDuplicatesAllowedIsNeverMistakenForAnEarlierTwin() async throws {
        try await ClientHarness.with { harness in
            let info = try patch(["name": ["first": "Twin"], "emails": ["items": [["email": "twin@x.test"]]]])
            let earlier = try await harness.client.createContact(info: info, allowDuplicates: false)
            // Two connections dropped before handling: the look-up's (a read, retried) and then
            // the create's, which never lands. The settlement query finds only the earlier twin.
            await harness.inject(
                FaultRule(kind: .drop, count: 2, methods: ["POST"], pathPrefix: "/contacts/v4/contacts"))
            let twin = try await harness.client.createContact(info: info, allowDuplicates: true)
            #expect(twin.id != earlier.id)
            #expect(try await harness.store.count() == 2)
        }
    }

    @Test func aCreateTheAPIKeepsRefusingEndsUnavailableWithNothingCreated() async throws {
        try await ClientHarness.with { harness in
            await harness.inject(
                FaultRule(kind: .status, status: 503, methods: ["POST"], pathPrefix: "/contacts/v4/contacts"))
            await harness.inject(
                FaultRule(kind: .status, status: 503, methods: ["POST"], pathPrefix: "/contacts/v4/contacts/query"))
            await #expect {
                _ = try await harness.client.createContact(
                    info: patch(["name": ["first": "Never"]]), allowDuplicates: false)
            } throws: { error in
                (error as? ContactsError)?.httpStatus == 503
            }
            let created = try await harness.store.count()
            #expect(created == 0)
        }
    }

    @Test func applicationErrorsKeepTheirWixCodesAndData() async throws {
        try await ClientHarness.with { harness in
            let id = try await harness.client.createContact(
                info: patch(["name": ["first": "A"]]), allowDuplicates: false
            ).id
            _ = try await harness.client.updateContact(
                id: id, patch: patch(["company": "W"]), revision: 1, allowDuplicates: false)
            await #expect {
                _ = try await harness.client.updateContact(
                    id: id, patch: patch(["company": "X"]), revision: 1, allowDuplicates: false)
            } throws: { error in
                guard let error = error as? ContactsError else { return false }
                return error.code == .contactAlreadyChanged && error.httpStatus == 409
                    && error.details["currentRevision"] == 2
            }
        }
    }

    @Test func wrongCredentialsAreUnauthenticatedAndNeverEchoed() async throws {
        try await ClientHarness.with(credentials: .apiKey(key: "sekrit-wrong-key", siteId: ClientHarness.siteID)) {
            harness in
            do {
                _ = try await harness.client.contact(id: "x")
                Issue.record("expected a failure")
            } catch let error as ContactsError {
                #expect(error.httpStatus == 401)
                #expect(!"\(error) \(error.details)".contains("sekrit"))
            }
        }
    }

    @Test func oauthTokenIsFetchedOnceAndReused() async throws {
        try await ClientHarness.with(
            credentials: .oauth(clientId: "client-1", clientSecret: "secret-1", instanceId: "i-1")
        ) { harness in
            let id = try await harness.client.createContact(
                info: patch(["name": ["first": "A"]]), allowDuplicates: false
            ).id
            for _ in 0..<3 { _ = try await harness.client.contact(id: id) }
            #expect(await harness.count("POST /oauth2/token") == 1)
        }
    }

    @Test func clientSideRateLimitWaitsWhenTheBucketIsEmpty() async throws {
        try await ClientHarness.with(requestsPerMinute: 3) { harness in
            // With an email and no duplicates allowed, a create is one request (no look-up first).
            let id = try await harness.client.createContact(
                info: patch(["name": ["first": "A"], "emails": ["items": [["email": "a@rate.test"]]]]),
                allowDuplicates: false
            ).id
            for _ in 0..<3 { _ = try await harness.client.contact(id: id) }
            let waited = harness.clock.sleeps.reduce(Duration.zero, +)
            // 3 per minute: the 4th call waits about 20 s for one token.
            #expect(waited >= .seconds(19) && waited <= .seconds(21))
        }
    }
}
