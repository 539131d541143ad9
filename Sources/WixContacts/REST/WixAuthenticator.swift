import Foundation
import JSONCore

/// Adds credentials to requests: the API key headers, or an OAuth access token that is cached
/// and renewed a minute before it expires (and once more after a 401).
actor WixAuthenticator {
    private let credentials: WixCredentials
    private let baseURL: URL
    private let transport: any HTTPTransport
    private let clock: any ClientClock
    private var token: (value: String, expiresAt: Duration)?
    private var refreshing: Task<(String, Duration), any Error>?

    init(credentials: WixCredentials, baseURL: URL, transport: any HTTPTransport, clock: any ClientClock) {
        self.credentials = credentials
        self.baseURL = baseURL
        self.transport = transport
        self.clock = clock
    }

    /// Headers that authenticate a request.
    func headers() async throws -> [String: String] {
        switch credentials {
        case .apiKey(let key, let siteId):
            return ["Authorization": key, "wix-site-id": siteId]
        case .oauth:
            return ["Authorization": try await accessToken()]
        }
    }

    /// Forgets the token after a 401 so the next call fetches a new one. Returns whether a retry can help.
    func invalidate() -> Bool {
        guard case .oauth = credentials else { return false }
        token = nil
        return true
    }

    private func elapsed() -> Duration {
        clock.now()
    }

    private func accessToken() async throws -> String {
        if let token, elapsed() < token.expiresAt - .seconds(60) { return token.value }
        if let refreshing { return try await refreshing.value.0 }
        let task = Task { try await self.fetchToken() }
        refreshing = task
        defer { refreshing = nil }
        let (value, lifetime) = try await task.value
        token = (value, elapsed() + lifetime)
        return value
    }

    private func fetchToken() async throws -> (String, Duration) {
        guard case .oauth(let clientId, let clientSecret, let instanceId) = credentials else { return ("", .zero) }
        var body: JSONObject = [
            "grant_type": "client_credentials", "client_id": .string(clientId), "client_secret": .string(clientSecret),
        ]
        if let instanceId { body["instance_id"] = .string(instanceId) }
        let request = HTTPRequest(
            method: "POST", url: baseURL.appendingPathComponent("oauth2/token"),
            headers: ["Content-Type": "application/json"], body: JSONValue.object(body).serialized())
        let response = try await transport.send(request)
        guard response.status == 200, let json = try? JSONValue.parse(response.body),
            let token = json["access_token"]?.stringValue
        else {
            throw ContactsError(
                .unauthenticated, httpStatus: response.status == 200 ? 401 : response.status,
                message: "Wix refused the OAuth client credentials.")
        }
        let lifetime = json["expires_in"]?.intValue ?? 14_400
        return (token, .seconds(lifetime))
    }
}
