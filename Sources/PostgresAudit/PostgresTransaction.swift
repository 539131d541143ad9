import Logging
import PostgresNIO

/// `BEGIN` … `COMMIT` on one connection, rolled back when the body throws; unlike postgres-nio's
/// own helper, the body's error is rethrown as is, so a `ContactsError` reaches the caller.
enum PostgresTransaction {
    static func run<Result: Sendable>(
        on connection: PostgresConnection, logger: Logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await connection.query("BEGIN", logger: logger)
        let result: Result
        do {
            result = try await body(connection)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
        try await connection.query("COMMIT", logger: logger)
        return result
    }
}
