import Hummingbird
import HummingbirdTesting
import JSONCore
import Testing
import WixEmulator

/// API-key and OAuth authentication of the `/contacts` routes.
@Suite struct AuthTests {
    static let tokenRequest: JSONValue = [
        "grant_type": "client_credentials", "client_id": .string(EmulatorHarness.clientID),
        "client_secret": .string(EmulatorHarness.clientSecret), "instance_id": "instance-1",
    ]

    @Test func missingAuthorizationIsUnauthenticated() async throws {
        try await EmulatorHarness.with { h in
            try await h.test { client in
                let reply = try await client.call(.post, "/contacts/v4/contacts/query", headers: [:])
                #expect(reply.status == 401)
                #expect(reply.applicationCode == "UNAUTHENTICATED")
            }
        }
    }

    @Test func wrongAPIKeyIsUnauthenticatedAndWrongSiteIsPermissionDenied() async throws {
        try await EmulatorHarness.with { h in
            try await h.test { client in
                let wrongKey = try await client.call(
                    .post, "/contacts/v4/contacts/query",
                    headers: [.authorization: "other-key", EmulatorHarness.siteIDHeader: EmulatorHarness.siteID])
                #expect(wrongKey.status == 401)
                let wrongSite = try await client.call(
                    .post, "/contacts/v4/contacts/query",
                    headers: [.authorization: EmulatorHarness.apiKey, EmulatorHarness.siteIDHeader: "site-2"])
                #expect(wrongSite.status == 403)
                #expect(wrongSite.applicationCode == "PERMISSION_DENIED")
                let noSite = try await client.call(
                    .post, "/contacts/v4/contacts/query", headers: [.authorization: EmulatorHarness.apiKey])
                #expect(noSite.status == 403)
            }
        }
    }

    @Test func oauthTokenAuthorizesUntilItExpires() async throws {
        try await EmulatorHarness.with(tokenLifetime: 60) { h in
            try await h.test { client in
                let issued = try await client.call(.post, "/oauth2/token", json: Self.tokenRequest, headers: [:])
                #expect(issued.status == 200)
                #expect(issued.json["token_type"]?.stringValue == "Bearer")
                #expect(issued.json["expires_in"]?.intValue == 60)
                let token = try #require(issued.json["access_token"]?.stringValue)

                // Wix sends the bare token; a Bearer prefix is accepted too. No site id is needed.
                let bare = try await client.call(.post, "/contacts/v4/contacts/query", headers: [.authorization: token])
                #expect(bare.status == 200)
                let bearer = try await client.call(
                    .post, "/contacts/v4/contacts/query", headers: [.authorization: "Bearer \(token)"])
                #expect(bearer.status == 200)

                h.clock.advance(seconds: 60)
                let expired = try await client.call(
                    .post, "/contacts/v4/contacts/query", headers: [.authorization: token])
                #expect(expired.status == 401)
                #expect(expired.applicationCode == "UNAUTHENTICATED")
            }
        }
    }

    @Test func tokenRequestWithWrongSecretOrGrantIsRejected() async throws {
        try await EmulatorHarness.with { h in
            try await h.test { client in
                var wrongSecret = try #require(Self.tokenRequest.objectValue)
                wrongSecret["client_secret"] = "guess"
                let unauthenticated = try await client.call(
                    .post, "/oauth2/token", json: .object(wrongSecret), headers: [:])
                #expect(unauthenticated.status == 401)
                #expect(unauthenticated.json.serializedString().contains("guess") == false)

                var wrongGrant = try #require(Self.tokenRequest.objectValue)
                wrongGrant["grant_type"] = "password"
                let invalid = try await client.call(.post, "/oauth2/token", json: .object(wrongGrant), headers: [:])
                #expect(invalid.status == 400)
                #expect(invalid.violatedFields == ["grant_type"])
            }
        }
    }

    @Test func withoutAConfiguredKeyAnyNonEmptyAuthorizationIsAccepted() async throws {
        try await EmulatorHarness.with(configure: {
            $0.apiKey = nil; $0.siteID = nil
        }) { h in
            try await h.test { client in
                let reply = try await client.call(
                    .post, "/contacts/v4/contacts/query", headers: [.authorization: "anything"])
                #expect(reply.status == 200)
                let missing = try await client.call(.post, "/contacts/v4/contacts/query", headers: [:])
                #expect(missing.status == 401)
            }
        }
    }
}
