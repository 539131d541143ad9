public import Foundation

/// How the client authenticates with Wix. Secrets come only from the environment (or a file an
/// environment variable names), never from argv; `description` never shows them.
public enum WixCredentials: Sendable, CustomStringConvertible {
    /// `Authorization: <key>` plus `wix-site-id: <siteId>`.
    case apiKey(key: String, siteId: String)
    /// OAuth client credentials: a token from `POST /oauth2/token`, cached and renewed.
    case oauth(clientId: String, clientSecret: String, instanceId: String?)

    public var description: String {
        switch self {
        case .apiKey: return "API key (redacted)"
        case .oauth(let clientId, _, _): return "OAuth client \(clientId) (secret redacted)"
        }
    }

    /// Reads `WIX_API_KEY` + `WIX_SITE_ID`, or `WIX_CLIENT_ID` + `WIX_CLIENT_SECRET` (+ `WIX_INSTANCE_ID`).
    /// Each may instead be given as a file path in `<NAME>_FILE`.
    ///
    /// - Returns: `nil` when neither set is present.
    /// - Throws: `UNAUTHENTICATED` naming the missing variable when a set is incomplete.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ContactsError) -> WixCredentials?
    {
        func value(_ name: String) -> String? {
            if let direct = environment[name], !direct.isEmpty { return direct }
            guard let path = environment[name + "_FILE"], !path.isEmpty,
                let contents = try? String(contentsOfFile: path, encoding: .utf8)
            else { return nil }
            let trimmed = contents.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
        if let key = value("WIX_API_KEY") {
            guard let site = value("WIX_SITE_ID") else { throw missing("WIX_SITE_ID") }
            return .apiKey(key: key, siteId: site)
        }
        if let clientId = value("WIX_CLIENT_ID") {
            guard let secret = value("WIX_CLIENT_SECRET") else { throw missing("WIX_CLIENT_SECRET") }
            return .oauth(clientId: clientId, clientSecret: secret, instanceId: value("WIX_INSTANCE_ID"))
        }
        return nil
    }

    private static func missing(_ name: String) -> ContactsError {
        ContactsError(.unauthenticated, httpStatus: 401, message: "The environment variable \(name) is not set.")
    }
}
