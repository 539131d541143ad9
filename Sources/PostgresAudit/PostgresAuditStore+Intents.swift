public import ContactAudit
public import JSONCore
import NIOCore
import PostgresNIO
public import WixContacts

/// The intents of ``AuditStore``, in `audit_entry` with `state = 'intent'`, each under its
/// contact's lock and with a lease.
extension PostgresAuditStore {
    /// Server time in milliseconds since 1970: leases are compared on one clock, whatever the
    /// gateways' clocks say.
    static let serverMillis = "(extract(epoch from clock_timestamp()) * 1000)::bigint"

    /// Takes the contact's lock (held until the intent is settled or discarded), then writes the
    /// intent. A create, whose contact has no id yet, takes no lock.
    ///
    /// - Throws: `DATABASE_BUSY` when another gateway keeps the contact locked past the deadline;
    ///   `UNAVAILABLE` when the database cannot be reached. Nothing is written then.
    public func recordIntent(_ intent: AuditIntentRecord) async throws -> Int64 {
        let millis = clock()
        let leaseMillis = Int64(lease.components.seconds) * 1000 + lease.components.attoseconds / 1_000_000_000_000_000
        let query: PostgresQuery = """
            INSERT INTO audit_entry (contact_id, operation, revision_before, before_json, changed_fields, "timestamp",
                timestamp_ms, actor, request_id, undo_of, state, intent, group_id, merged_from, merged_into, lease_until,
                run_id)
            VALUES (\(intent.contactId), \(intent.operation.rawValue), \(intent.before?.revision),
                \(intent.before.map { ByteBuffer(bytes: $0.json.bytes) }), '[]', \(Timestamp.rfc3339(millisecondsSince1970: millis)),
                \(millis), \(intent.actor), \(intent.requestId), \(intent.undoOf), 'intent',
                \(intent.patch.serializedString()), \(intent.links.groupId), \(EntryRow.mergedFromText(intent.links)),
                \(intent.links.mergedInto), \(unescaped: Self.serverMillis) + \(leaseMillis), \(intent.links.runId))
            RETURNING audit_id
            """
        guard !intent.contactId.isEmpty else {
            let rows = try await rows(query)
            return try rows[0].decode(Int64.self)
        }
        if let held = Self.heldLock, held.contactId == intent.contactId {
            // The caller holds the contact's lock around the whole change: write on its session.
            let auditId = try await PostgresAuditError.mapping {
                try await held.connection.query(query, logger: logger).collect()[0].decode(Int64.self)
            }
            contactIds[auditId] = intent.contactId
            return auditId
        }
        let connection = try await locks.lock(intent.contactId)
        let auditId: Int64
        do {
            auditId = try await PostgresAuditError.mapping {
                try await connection.query(query, logger: logger).collect()[0].decode(Int64.self)
            }
        } catch {
            await locks.unlock(connection, intent.contactId)
            throw error
        }
        await locks.hold(connection, contactId: intent.contactId, for: auditId)
        contactIds[auditId] = intent.contactId
        return auditId
    }

    public func settle(_ auditId: Int64, after: ContactSnapshot?, changedFields: [String], restoredAs: Bool)
        async throws
    {
        let changed = JSONValue.array(changedFields.map { .string("info." + $0) }).serializedString()
        // One statement: the entry and the `undone_by` of the entry it undoes change together.
        let query: PostgresQuery = """
            WITH settled AS (
                UPDATE audit_entry SET state = 'settled',
                    contact_id = CASE WHEN contact_id = '' THEN \(after?.id) ELSE contact_id END,
                    revision_after = \(after?.revision), after_json = \(after.map { ByteBuffer(bytes: $0.json.bytes) }),
                    changed_fields = \(changed), intent = NULL, restored_as = \(restoredAs ? after?.id : nil),
                    lease_until = NULL
                WHERE audit_id = \(auditId) AND state = 'intent'
                RETURNING audit_id, undo_of, contact_id
            ), undone AS (
                UPDATE audit_entry SET undone_by = settled.audit_id FROM settled
                WHERE audit_entry.audit_id = settled.undo_of
            )
            SELECT contact_id FROM settled
            """
        let rows = try await runReleasingLock(auditId, query, chaining: true)
        if let contactId = try rows.first?.decode(String.self), !contactId.isEmpty { contactIds[auditId] = contactId }
    }

    public func discard(_ auditId: Int64) async throws {
        _ = try await runReleasingLock(
            auditId, "DELETE FROM audit_entry WHERE audit_id = \(auditId) AND state = 'intent'")
    }

    /// Runs `query` on the connection holding the intent's contact lock (or the pool when this
    /// process holds none), then releases the lock.
    /// With `chaining`, in one transaction with linking the settled entry into the hash chain.
    private func runReleasingLock(_ auditId: Int64, _ query: PostgresQuery, chaining: Bool = false) async throws
        -> [PostgresRow]
    {
        let run: @Sendable (PostgresConnection, Logger) async throws -> [PostgresRow] = { connection, logger in
            guard chaining else { return try await connection.query(query, logger: logger).collect() }
            return try await PostgresTransaction.run(on: connection, logger: logger) { connection in
                let rows = try await connection.query(query, logger: logger).collect()
                if !rows.isEmpty { try await PostgresChain.extend(connection, auditId: auditId, logger: logger) }
                return rows
            }
        }
        guard let held = await locks.take(auditId) else {
            return try await perform { client, logger in
                try await client.withConnection { connection in try await run(connection, logger) }
            }
        }
        do {
            let logger = logger
            let rows = try await PostgresAuditError.mapping { try await run(held.connection, logger) }
            await locks.unlock(held.connection, held.contactId)
            return rows
        } catch {
            await locks.unlock(held.connection, held.contactId)
            throw error
        }
    }

    /// Claims the intents whose lease has expired and whose contact no live session holds
    /// locked (its writer is gone), renewing their lease for this gateway, oldest first.
    public func pendingIntents() async throws -> [AuditIntent] {
        let leaseMillis = Int64(lease.components.seconds) * 1000
        let rows = try await perform { client, logger in
            try await client.withConnection { connection in
                try await PostgresTransaction.run(on: connection, logger: logger) { connection in
                    // Locked rows are being claimed by another gateway: skipped. A contact whose lock
                    // is taken is mid-change somewhere: its intents wait for the next look. The
                    // transaction-level try-locks end with this transaction.
                    try await connection.query(
                        """
                        WITH candidates AS MATERIALIZED (
                            SELECT audit_id, contact_id FROM audit_entry
                            WHERE state = 'intent' AND (lease_until IS NULL OR lease_until < \(unescaped: Self.serverMillis))
                            ORDER BY audit_id FOR UPDATE SKIP LOCKED
                        ), claimable AS MATERIALIZED (
                            SELECT audit_id FROM candidates
                            WHERE contact_id = '' OR pg_try_advisory_xact_lock(\(ContactLocks.lockClass), hashtext(contact_id))
                        )
                        UPDATE audit_entry SET lease_until = \(unescaped: Self.serverMillis) + \(leaseMillis)
                        FROM claimable WHERE audit_entry.audit_id = claimable.audit_id
                        RETURNING audit_entry.audit_id, audit_entry.contact_id, audit_entry.operation,
                            audit_entry.revision_before, audit_entry.before_json, audit_entry.intent, audit_entry.undo_of,
                            audit_entry.timestamp_ms, audit_entry.group_id, audit_entry.merged_from, audit_entry.merged_into,
                            audit_entry.run_id
                        """, logger: logger
                    ).collect()
                }
            }
        }
        return try rows.map { row in
            let cells = row.makeRandomAccess()
            let contactId = try cells[1].decode(String.self)
            let revision = try cells[3].decode(Int?.self)
            let before = try EntryRow.bytes(cells[4])
            let intent = try cells[5].decode(String?.self) ?? "null"
            return AuditIntent(
                stored: try cells[0].decode(Int64.self), contactId: contactId,
                operation: AuditOperation(rawValue: try cells[2].decode(String.self)),
                before: before.flatMap { bytes in
                    revision.map { ContactSnapshot(id: contactId, revision: $0, json: RawJSON(trusted: bytes)) }
                },
                patch: (try? JSONValue.parse(Array(intent.utf8))) ?? .null, undoOf: try cells[6].decode(Int64?.self),
                recordedAt: try cells[7].decode(Int64.self),
                links: EntryRow.links(
                    groupId: try cells[8].decode(String?.self), mergedFrom: try cells[9].decode(String?.self),
                    mergedInto: try cells[10].decode(String?.self), restoredAs: nil,
                    runId: try cells[11].decode(String?.self)))
        }.sorted { $0.auditId < $1.auditId }
    }

    /// Runs `body` while holding `contactId`'s lock, the one every change of that contact through
    /// a ``PostgresAuditStore`` holds from intent to settle: for a change that must also read the
    /// contact under the lock (a forceUpdate's read, intent, call and settle). Intents for the
    /// same contact recorded inside `body` (in this task or its children) reuse the held lock;
    /// nested calls for the same contact do not lock again.
    ///
    /// - Throws: `DATABASE_BUSY` past the lock timeout, `UNAVAILABLE`, or what `body` throws.
    public func withContactLock<T: Sendable>(_ contactId: String, _ body: () async throws -> T) async throws -> T {
        if Self.heldLock?.contactId == contactId { return try await body() }
        let connection = try await locks.lock(contactId)
        do {
            let value = try await Self.$heldLock.withValue(HeldContactLock(contactId: contactId, connection: connection)) {
                try await body()
            }
            await locks.unlock(connection, contactId)
            return value
        } catch {
            await locks.unlock(connection, contactId)
            throw error
        }
    }
}

/// The contact lock a task holds through ``PostgresAuditStore/withContactLock(_:_:)``.
struct HeldContactLock: Sendable {
    let contactId: String
    let connection: PostgresConnection
}
