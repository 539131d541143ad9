import Logging
import PostgresNIO
import WixContacts

/// Contact locks: PostgreSQL session-level advisory locks keyed by `(class, hashtext(contactId))`,
/// each held on a connection of its own from a change's intent to its settlement, so gateways on
/// many machines change one contact one at a time and its history stays one chain.
///
/// A lock dies with its session: a gateway that crashes mid-change releases it when its
/// connection closes. One that forgets (a settle that threw) releases it after the lease, when
/// the watchdog closes the connection. Connections come from a small idle list, not the shared
/// pool, so changes waiting for a lock cannot starve the queries that would let the holder finish.
actor ContactLocks {
    /// The first key of every contact lock (`'cg'`), so they cannot collide with other users'.
    static let lockClass: Int32 = 0x6367

    private let connector: PostgresConnector
    private let lease: Duration
    private let lockTimeout: Duration
    private let logger: Logger
    private var idle: [PostgresConnection] = []
    private var held: [Int64: Held] = [:]
    private var closed = false
    private let maximumIdle = 16

    /// A lock held for an intent.
    struct Held: Sendable {
        let connection: PostgresConnection
        let contactId: String
        /// Closes the connection if the lock is still held when the lease ends.
        let watchdog: Task<Void, Never>
    }

    init(connector: PostgresConnector, lease: Duration, lockTimeout: Duration, logger: Logger) {
        self.connector = connector
        self.lease = lease
        self.lockTimeout = lockTimeout
        self.logger = logger
    }

    // MARK: - Taking and releasing

    /// A connection holding `contactId`'s lock, waited for up to the lock timeout.
    ///
    /// - Throws: `DATABASE_BUSY` when another gateway holds the lock past the timeout;
    ///   `UNAVAILABLE` when the database cannot be reached.
    func lock(_ contactId: String) async throws -> PostgresConnection {
        let connection = try await connection()
        do {
            _ = try await connection.query(
                "SELECT pg_advisory_lock(\(Self.lockClass), hashtext(\(contactId)))", logger: logger
            ).collect()
            return connection
        } catch {
            discard(connection)
            throw PostgresAuditError.map(error)
        }
    }

    /// Releases `contactId`'s lock and keeps the connection for the next lock.
    func unlock(_ connection: PostgresConnection, _ contactId: String) async {
        do {
            _ = try await connection.query(
                "SELECT pg_advisory_unlock(\(Self.lockClass), hashtext(\(contactId)))", logger: logger
            ).collect()
            if !closed && idle.count < maximumIdle && !connection.isClosed {
                idle.append(connection)
            } else {
                discard(connection)
            }
        } catch {
            discard(connection)  // closing it releases the lock
        }
    }

    /// Keeps the lock on `connection` for the intent `auditId` until ``take(_:)``; past the lease,
    /// the connection is closed, which releases the lock.
    func hold(_ connection: PostgresConnection, contactId: String, for auditId: Int64) {
        let lease = lease
        let watchdog = Task { [weak self] in
            guard (try? await Task.sleep(for: lease)) != nil else { return }
            await self?.expire(auditId)
        }
        held[auditId] = Held(connection: connection, contactId: contactId, watchdog: watchdog)
    }

    /// The lock held for `auditId`, no longer tracked; `nil` when this process holds none.
    func take(_ auditId: Int64) -> Held? {
        let lock = held.removeValue(forKey: auditId)
        lock?.watchdog.cancel()
        return lock
    }

    private func expire(_ auditId: Int64) {
        guard let lock = held.removeValue(forKey: auditId) else { return }
        logger.warning(
            "A contact lock outlived its lease; releasing it.", metadata: ["auditId": "\(auditId)"])
        discard(lock.connection)
    }

    /// Closes every connection (at shutdown).
    func closeAll() async {
        closed = true
        let connections = idle + held.values.map(\.connection)
        for lock in held.values { lock.watchdog.cancel() }
        idle.removeAll()
        held.removeAll()
        for connection in connections { try? await connection.close() }
    }

    // MARK: - Connections

    private func connection() async throws -> PostgresConnection {
        while let connection = idle.popLast() {
            if !connection.isClosed { return connection }
        }
        let connector = connector
        let logger = logger
        let timeout = lockTimeout
        return try await Deadline.run(timeout, what: "The audit database did not answer in time.") {
            try await PostgresAuditError.mapping {
                let connection = try await connector.connect(logger: logger)
                let milliseconds = timeout.components.seconds * 1000
                try await connection.query(
                    PostgresQuery(unsafeSQL: "SET lock_timeout = \(milliseconds)"), logger: logger)
                return connection
            }
        }
    }

    /// Closes a connection; the closure keeps it alive until it is closed (postgres-nio
    /// asserts that no connection is released open).
    private func discard(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }
}
