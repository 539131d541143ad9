import PostgresNIO
import WixContacts

/// Turns what PostgreSQL or the connection threw into the gateway's `ContactsError`: a request
/// that could not reach the audit database fails with `UNAVAILABLE` (HTTP 503), which says that
/// nothing was recorded, rather than with a driver's error. The server's message is kept (it
/// names no password); the query and its bound values are not.
enum PostgresAuditError {
    static func map(_ error: any Error) -> any Error {
        if error is ContactsError || error is CancellationError { return error }
        if let error = error as? PSQLError {
            if error.code == .server {
                let state = error.serverInfo?[.sqlState] ?? ""
                let message = error.serverInfo?[.message] ?? "error"
                // 55P03 lock_not_available (lock_timeout), 57014 query_canceled (statement_timeout).
                if state == "55P03" || state == "57014" {
                    return ContactsError(.databaseBusy, message: "The audit database is busy: \(message) (\(state)).")
                }
                return ContactsError(.unavailable, message: "The audit database failed: \(message) (\(state)).")
            }
            return ContactsError(.unavailable, message: "The audit database is unreachable (\(error.code)).")
        }
        return ContactsError(.unavailable, message: "The audit database is unreachable (\(type(of: error))).")
    }

    /// Runs `body`, mapping what it throws.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw map(error) }
    }
}
