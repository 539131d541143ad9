import WixContacts

/// Runs an operation with a deadline.
enum Deadline {
    /// `body`'s result, or `UNAVAILABLE` with `what` when `timeout` passes first (the body is
    /// cancelled).
    static func run<T: Sendable>(_ timeout: Duration, what: String, _ body: @escaping @Sendable () async throws -> T)
        async throws -> T
    {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw ContactsError(.unavailable, message: what)
            }
            return value
        }
    }
}
