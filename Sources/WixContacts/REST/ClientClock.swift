/// The time source of the REST client: rate-limit refills, retry backoff, `Retry-After` waits and
/// token expiry all go through it, so tests control time instead of sleeping.
public protocol ClientClock: Sendable {
    /// Monotonic time since an arbitrary origin.
    func now() -> Duration
    /// Suspends for `duration` (or until cancelled).
    func sleep(for duration: Duration) async throws
}

/// The real clock: `ContinuousClock`.
public struct SystemClientClock: ClientClock {
    private let origin = ContinuousClock.now

    /// Creates the clock.
    public init() {}

    public func now() -> Duration { ContinuousClock.now - origin }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
