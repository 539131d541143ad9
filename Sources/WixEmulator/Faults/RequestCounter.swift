/// How many requests each route received, keyed `"METHOD /path/{template}"`, so a test can count
/// the remote calls a client made (`"PATCH /contacts/v4/contacts/{id}": 3`).
///
/// Every request to a known route counts, including those a fault answered or dropped; the
/// control routes under `/_emulator` do not.
public actor RequestCounter {
    /// The counts so far.
    public private(set) var counts: [String: Int] = [:]

    /// Creates an empty counter.
    public init() {}

    /// The count for one route, such as `"PATCH /contacts/v4/contacts/{id}"`.
    public func count(_ route: String) -> Int {
        counts[route, default: 0]
    }

    /// Adds one request.
    func record(_ route: String) {
        counts[route, default: 0] += 1
    }

    /// Starts counting from zero.
    public func reset() {
        counts.removeAll()
    }
}
