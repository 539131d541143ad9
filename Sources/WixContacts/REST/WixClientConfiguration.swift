public import Foundation

/// Where and how the REST client talks to Wix.
public struct WixClientConfiguration: Sendable {
    /// `https://www.wixapis.com`, or `WIX_BASE_URL` (the emulator, in tests and offline work).
    public var baseURL: URL
    /// How to authenticate.
    public var credentials: WixCredentials
    /// Client-side limit; Wix allows 200 per minute per site.
    public var requestsPerMinute: Int
    /// Retries after the first attempt (429, 5xx and transport errors on reads, unknown PATCH outcomes).
    public var maxRetries: Int
    /// Time allowed for one HTTP exchange.
    public var requestTimeout: Duration
    /// First backoff; doubles each retry, with jitter, up to ``maximumBackoff``.
    public var initialBackoff: Duration
    /// The longest backoff or `Retry-After` wait honoured.
    public var maximumBackoff: Duration
    /// The time source for waits and token expiry.
    public var clock: any ClientClock

    /// Creates a configuration with Wix's defaults.
    public init(
        baseURL: URL = URL(string: "https://www.wixapis.com")!, credentials: WixCredentials,
        requestsPerMinute: Int = 200,
        maxRetries: Int = 4, requestTimeout: Duration = .seconds(30), initialBackoff: Duration = .milliseconds(250),
        maximumBackoff: Duration = .seconds(30), clock: any ClientClock = SystemClientClock()
    ) {
        self.baseURL = baseURL
        self.credentials = credentials
        self.requestsPerMinute = requestsPerMinute
        self.maxRetries = maxRetries
        self.requestTimeout = requestTimeout
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.clock = clock
    }
}
