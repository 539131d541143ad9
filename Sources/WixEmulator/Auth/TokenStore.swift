/// OAuth access tokens the emulator has issued, with their expiry.
///
/// Expired tokens are kept, so a client presenting one is told it expired (401) rather than that
/// it was never issued — the same answer, but the log says which.
actor TokenStore {
    /// Whether a presented token may be used.
    enum Validity: Equatable {
        case valid
        case expired
        case unknown
    }

    private var expiries: [String: Int64] = [:]
    private let clock: @Sendable () -> Int64

    init(clock: @escaping @Sendable () -> Int64) {
        self.clock = clock
    }

    /// Issues a new random token that lives `lifetime` seconds.
    func issue(lifetime: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        // 32 random bytes, hex: unguessable, and plainly not a Wix API key.
        var token = "emu-"
        for _ in 0..<32 {
            let byte = UInt8.random(in: 0...255, using: &generator)
            token += String(byte, radix: 16).leftPadded(to: 2)
        }
        expiries[token] = clock() + Int64(lifetime) * 1000
        return token
    }

    /// Whether `token` was issued here and has not expired.
    func validity(of token: String) -> Validity {
        guard let expiry = expiries[token] else { return .unknown }
        return clock() < expiry ? .valid : .expired
    }

    /// Forgets every token.
    func removeAll() {
        expiries.removeAll()
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
