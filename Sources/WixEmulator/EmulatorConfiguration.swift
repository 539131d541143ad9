public import Foundation
public import Logging

/// What the emulator expects from its clients, and how it keeps time.
///
/// Every credential is optional: with no API key configured, any non-empty `Authorization`
/// header is accepted (a convenient default for local tests); with no client id/secret, any
/// non-empty pair gets a token.
///
/// ```swift
/// var configuration = EmulatorConfiguration()
/// configuration.apiKey = "test-key"
/// configuration.siteID = "site-1"
/// configuration.tokenLifetime = 60
/// ```
public struct EmulatorConfiguration: Sendable {
    /// The TCP port to bind on 127.0.0.1; `0` picks a free one.
    public var port: Int
    /// The API key expected in `Authorization`; `nil` accepts any non-empty value.
    public var apiKey: String?
    /// The site id expected in the `wix-site-id` header with an API key; `nil` accepts any.
    public var siteID: String?
    /// The OAuth client id `/oauth2/token` expects; `nil` accepts any non-empty one.
    public var clientID: String?
    /// The OAuth client secret `/oauth2/token` expects; `nil` accepts any non-empty one.
    public var clientSecret: String?
    /// Seconds an OAuth access token lives (`expires_in`).
    public var tokenLifetime: Int
    /// Milliseconds since 1970; injected so tests can expire tokens without waiting.
    public var clock: @Sendable () -> Int64
    /// Faults armed from the start (the executable's `--fault` flags).
    public var faults: [FaultRule]
    /// Where the emulator logs; the executable sends this to stderr.
    public var logger: Logger

    /// The defaults: a free port, no expected credentials, 4-hour tokens, the wall clock.
    public init(
        port: Int = 0,
        apiKey: String? = nil,
        siteID: String? = nil,
        clientID: String? = nil,
        clientSecret: String? = nil,
        tokenLifetime: Int = 14_400,
        clock: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) },
        faults: [FaultRule] = [],
        logger: Logger = Logger(label: "wix-emulator")
    ) {
        self.port = port
        self.apiKey = apiKey
        self.siteID = siteID
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.tokenLifetime = tokenLifetime
        self.clock = clock
        self.faults = faults
        self.logger = logger
    }
}
