public import ContactAudit
import Foundation
public import Logging
import PostgresNIO
import WixContacts

/// The audit log in PostgreSQL: one ``AuditStore`` shared by gateways on many machines, with the
/// tables and semantics of the SQLite log (ids from an identity column, keyset-paged history,
/// groups, intents) plus what sharing needs:
///
/// - **One chain per contact.** ``recordIntent(_:)`` takes a session-level advisory lock keyed by
///   the contact id on a connection of its own and holds it until ``settle(_:after:changedFields:restoredAs:)``
///   or ``discard(_:)``, so intent → remote call → settle of one contact never interleaves across
///   gateways. ``withContactLock(_:_:)`` offers the same lock around any other work.
/// - **Leases.** An intent carries `lease_until` (server time). ``pendingIntents()`` claims only
///   intents whose lease has expired and whose contact no live session holds locked, so a crashed
///   gateway's intents are settled by any other gateway, and a live one's never are.
///
/// ```swift
/// let endpoint = try PostgresEndpoint(url: "postgres://gateway@/audit?host=/run/postgresql", environment: env)
/// let audit = try await PostgresAuditStore.open(endpoint: endpoint, clock: clock, logger: logger)
/// let id = try await audit.recordIntent(AuditIntentRecord(contactId: id, operation: .update, before: snapshot, patch: info, actor: nil, requestId: nil))
/// try await audit.settle(id, after: updated, changedFields: ["company"])
/// await audit.close()
/// ```
public final class PostgresAuditStore: AuditStore {
    /// Where the log lives (its description names no password).
    public let endpoint: PostgresEndpoint
    /// Milliseconds since 1970, for entry timestamps.
    public let clock: @Sendable () -> Int64
    /// How long an intent is its writer's alone before any gateway may settle it.
    public let lease: Duration
    /// How long an operation may wait for the database before failing with `UNAVAILABLE`.
    public let operationTimeout: Duration

    let client: PostgresClient
    let locks: ContactLocks
    let logger: Logger
    let contactIds = ContactIdCache()
    /// The contact lock the current task holds, if any.
    @TaskLocal static var heldLock: HeldContactLock?
    private let runner: Task<Void, Never>

    private init(
        endpoint: PostgresEndpoint, client: PostgresClient, locks: ContactLocks, clock: @escaping @Sendable () -> Int64,
        lease: Duration, operationTimeout: Duration, logger: Logger
    ) {
        self.endpoint = endpoint
        self.client = client
        self.locks = locks
        self.clock = clock
        self.lease = lease
        self.operationTimeout = operationTimeout
        self.logger = logger
        runner = Task { await client.run() }
    }

    /// Connects to `endpoint` and applies the migrations its database lacks.
    ///
    /// - Parameters:
    ///   - endpoint: The server, role and database.
    ///   - clock: Milliseconds since 1970, for entry timestamps.
    ///   - lease: How long an intent stays its writer's (and a contact lock at most is held).
    ///   - operationTimeout: How long one operation may wait for the database.
    ///   - maximumConnections: The pool's size for ordinary queries (contact locks use their own).
    ///   - logger: For migrations and settled leases; never logs a password or a query's values.
    /// - Throws: `UNAVAILABLE` when the database cannot be reached in time; `INTERNAL` when a newer
    ///   build migrated it.
    public static func open(
        endpoint: PostgresEndpoint, clock: @escaping @Sendable () -> Int64, lease: Duration = .seconds(30),
        operationTimeout: Duration = .seconds(15), maximumConnections: Int = 8, logger: Logger
    ) async throws -> PostgresAuditStore {
        let connector = PostgresConnector(endpoint: endpoint)
        // The pool retries and logs each failed connection attempt; requests report failures.
        var poolLogger = logger
        poolLogger.logLevel = max(logger.logLevel, .warning)
        let client = PostgresClient(
            configuration: try connector.clientConfiguration(maximumConnections: maximumConnections),
            backgroundLogger: poolLogger)
        let store = PostgresAuditStore(
            endpoint: endpoint, client: client,
            locks: ContactLocks(connector: connector, lease: lease, lockTimeout: operationTimeout, logger: logger),
            clock: clock, lease: lease, operationTimeout: operationTimeout, logger: logger)
        do {
            try await store.perform { client, logger in
                try await client.withConnection { connection in
                    try await PostgresAuditSchema.migrate(connection, logger: logger)
                }
            }
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// Closes every connection. Intents still held keep their lease and are settled by the next
    /// gateway to look.
    public func close() async {
        await locks.closeAll()
        runner.cancel()
    }

    // MARK: - Running queries

    /// Runs `body` against the pool with the operation deadline, mapping errors to `ContactsError`.
    /// `unbounded` runs without the deadline (a copy of a whole log).
    func perform<T: Sendable>(
        unbounded: Bool = false, _ body: @escaping @Sendable (PostgresClient, Logger) async throws -> T
    ) async throws -> T {
        let client = client
        let logger = logger
        let timeout = operationTimeout
        if unbounded {
            return try await PostgresAuditError.mapping { try await body(client, logger) }
        }
        return try await Deadline.run(timeout, what: "The audit database did not answer in time.") {
            try await PostgresAuditError.mapping { try await body(client, logger) }
        }
    }

    /// The rows of `query`, collected.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await perform { client, logger in try await client.query(query, logger: logger).collect() }
    }

    // MARK: - Reading

    public func entry(id: Int64) async throws -> AuditEntry {
        let rows = try await rows(
            "SELECT \(unescaped: EntryRow.columns) FROM audit_entry WHERE audit_id = \(id) AND state = 'settled'")
        guard let row = rows.first else {
            throw ContactsError(.auditEntryNotFound, details: ["auditId": .int(Int(id))])
        }
        return try remember(EntryRow.entry(row))
    }

    public func latestUndoable(contactId: String) async throws -> AuditEntry? {
        let rows = try await rows(
            """
            SELECT \(unescaped: EntryRow.columns) FROM audit_entry
            WHERE contact_id = \(contactId) AND operation <> 'undo' AND undone_by IS NULL AND state = 'settled'
            ORDER BY audit_id DESC LIMIT 1
            """)
        return try rows.first.map { try remember(EntryRow.entry($0)) }
    }

    public func group(_ groupId: String) async throws -> [AuditEntry] {
        try await rows(
            """
            SELECT \(unescaped: EntryRow.columns) FROM audit_entry WHERE group_id = \(groupId) AND state = 'settled'
            ORDER BY audit_id
            """
        ).map { try remember(EntryRow.entry($0)) }
    }

    public func count() async throws -> Int {
        let rows = try await rows("SELECT count(*) FROM audit_entry WHERE state = 'settled'")
        return try rows.first?.decode(Int.self) ?? 0
    }

    /// The contact of an entry, answered synchronously: from the ids this process has written or
    /// read, else by a short query that this call blocks on (at most the operation deadline).
    /// The protocol asks for a synchronous answer because the JSON-RPC reader thread orders an
    /// undo behind earlier requests on its contact; that thread is not part of Swift's
    /// cooperative pool, so blocking it on a semaphore cannot starve the tasks that answer.
    /// Never call it from a task.
    public func contactId(ofEntry id: Int64) -> String? {
        if let known = contactIds[id] { return known }
        let answer = BlockingAnswer<String?>()
        let query: PostgresQuery = "SELECT contact_id FROM audit_entry WHERE audit_id = \(id)"
        Task.detached { [self] in
            let contactId = try? await rows(query).first?.decode(String.self)
            answer.give(contactId ?? nil)
        }
        let seconds = Double(operationTimeout.components.seconds)
        guard let found = answer.wait(seconds: seconds) ?? nil, !found.isEmpty else { return nil }
        contactIds[id] = found
        return found
    }

    /// Notes an entry's contact for ``contactId(ofEntry:)``.
    func remember(_ entry: AuditEntry) -> AuditEntry {
        if !entry.contactId.isEmpty { contactIds[entry.auditId] = entry.contactId }
        return entry
    }
}
