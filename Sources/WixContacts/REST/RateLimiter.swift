/// A token bucket: at most `capacity` requests in a burst, refilled at `capacity` per `interval`
/// (Wix allows 200 requests per minute per site). Callers over the limit wait on the clock.
actor RateLimiter {
    private let capacity: Double
    private let refillPerSecond: Double
    private let clock: any ClientClock
    private var tokens: Double
    private var updatedAt: Duration

    init(requestsPerMinute: Int, clock: any ClientClock) {
        capacity = Double(max(1, requestsPerMinute))
        refillPerSecond = capacity / 60
        self.clock = clock
        tokens = capacity
        updatedAt = clock.now()
    }

    /// Takes one token, waiting for the refill when the bucket is empty.
    func acquire() async throws {
        while true {
            refill()
            if tokens >= 1 {
                tokens -= 1
                return
            }
            let wait = (1 - tokens) / refillPerSecond
            try await clock.sleep(for: .milliseconds(Int64((wait * 1000).rounded(.up))))
        }
    }

    private func refill() {
        let now = clock.now()
        let elapsed = now - updatedAt
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(capacity, tokens + seconds * refillPerSecond)
        updatedAt = now
    }
}
