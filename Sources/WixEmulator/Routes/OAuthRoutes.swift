import Hummingbird
import JSONCore
import WixContacts

/// `POST /oauth2/token`: Wix's client-credentials grant.
struct OAuthRoutes {
    let configuration: EmulatorConfiguration
    let tokens: TokenStore

    /// Adds the route to `group` (the root).
    func register(on group: RouterGroup<EmulatorRequestContext>) {
        group.post("oauth2/token") { request, context in try await token(request, context) }
    }

    /// `{ grant_type: "client_credentials", client_id, client_secret, instance_id? }`
    /// → `{ access_token, token_type: "Bearer", expires_in }`.
    func token(_ request: Request, _ context: EmulatorRequestContext) async throws -> Response {
        let body = try await RequestJSON.read(request, context: context)
        guard try body.string("grant_type") == "client_credentials" else {
            throw WixResponse.invalid("grant_type", "Only the client_credentials grant is supported.", rule: "ENUM")
        }
        let clientID = try body.string("client_id")
        let clientSecret = try body.string("client_secret")
        // Wix wants the instance for an app's token; the emulator serves one site, so any will do.
        if body["instance_id"] != nil { _ = try body.string("instance_id") }
        // Compare both before failing, and say nothing about which was wrong.
        let idMatches = configuration.clientID.map { $0 == clientID } ?? true
        let secretMatches = configuration.clientSecret.map { $0 == clientSecret } ?? true
        guard idMatches && secretMatches else {
            throw ContactsError(.unauthenticated, message: "The client credentials are not valid.")
        }
        let lifetime = configuration.tokenLifetime
        let token = await tokens.issue(lifetime: lifetime)
        return WixResponse.json([
            "access_token": .string(token), "token_type": "Bearer", "expires_in": .int(lifetime),
        ])
    }
}
