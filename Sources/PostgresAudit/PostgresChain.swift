import ContactAudit
import Foundation
import JSONCore
import Logging
import NIOCore
import PostgresNIO

/// The audit log's hash chain in PostgreSQL, computed exactly as the SQLite log's
/// (`AuditChain`): `hash(n) = SHA-256(hash(n-1) ‖ canonical(n))` over the entry's fields as
/// stored, in settlement order. The head row (`audit_chain`, id 1) is locked `FOR UPDATE` in
/// the transaction that settles an entry, so gateways on many machines extend one chain.
enum PostgresChain {
    /// The fields hashed, in order, then `before` and `after`.
    static let columns = """
        audit_id, contact_id, operation, revision_before, revision_after, changed_fields, "timestamp", actor, \
        request_id, undo_of, group_id, merged_from, merged_into, restored_as, run_id, before_json, after_json
        """
    /// The integer columns among the first fifteen.
    static let integers: Set<Int> = [0, 3, 4, 9]
    static let zero = AuditChain.zero

    /// Links settled entry `auditId` to the head, inside the caller's transaction.
    static func extend(_ connection: PostgresConnection, auditId: Int64, logger: Logger) async throws {
        let head = try await connection.query(
            "SELECT seq, hash FROM audit_chain WHERE id = 1 FOR UPDATE", logger: logger
        ).collect()
        let cells = head.first?.makeRandomAccess()
        let seq = (try cells?[0].decode(Int64.self) ?? 0) + 1
        let previous = try cells.map { Array(try $0[1].decode(ByteBuffer.self).readableBytesView) } ?? zero
        guard
            let row = try await connection.query(
                "SELECT \(unescaped: columns) FROM audit_entry WHERE audit_id = \(auditId)", logger: logger
            ).collect().first
        else { return }
        let hash = try digest(previous: previous, seq: seq, row: row)
        _ = try await connection.query(
            "UPDATE audit_entry SET chain_seq = \(seq), hash = \(ByteBuffer(bytes: hash)) WHERE audit_id = \(auditId)",
            logger: logger)
        _ = try await connection.query(
            "UPDATE audit_chain SET seq = \(seq), hash = \(ByteBuffer(bytes: hash)) WHERE id = 1", logger: logger)
    }

    /// `hash(n)` of a row of ``columns``.
    static func digest(previous: [UInt8], seq: Int64, row: PostgresRow) throws -> [UInt8] {
        let cells = row.makeRandomAccess()
        let fields = try (0..<15).map { index -> AuditChain.Value in
            if integers.contains(index) { return AuditChain.Value(try cells[index].decode(Int64?.self).map(Int.init)) }
            return AuditChain.Value(try cells[index].decode(String?.self))
        }
        return AuditChain.digest(
            previous: previous, seq: seq, fields: fields, before: try EntryRow.bytes(cells[15]) ?? [],
            after: try EntryRow.bytes(cells[16]) ?? [])
    }

    /// Recomputes the whole chain.
    static func verify(_ connection: PostgresConnection, logger: Logger) async throws -> AuditVerification {
        let headRow = try await connection.query("SELECT seq, hash FROM audit_chain WHERE id = 1", logger: logger)
            .collect().first?.makeRandomAccess()
        let headSeq = try headRow?[0].decode(Int64.self) ?? 0
        let headHash = try headRow.map { Array(try $0[1].decode(ByteBuffer.self).readableBytesView) } ?? zero
        var previous = zero
        var expected: Int64 = 1
        let rows = try await connection.query(
            """
            SELECT \(unescaped: columns), chain_seq, hash FROM audit_entry WHERE chain_seq IS NOT NULL ORDER BY chain_seq
            """, logger: logger)
        for try await row in rows {
            let cells = row.makeRandomAccess()
            let auditId = try cells[0].decode(Int64.self)
            guard try cells[17].decode(Int64.self) == expected else {
                return broken(auditId, Int(expected - 1), "entry \(expected) of the chain is missing")
            }
            let computed = try digest(previous: previous, seq: expected, row: row)
            guard try EntryRow.bytes(cells[18]) == computed else {
                return broken(auditId, Int(expected - 1), "the entry differs from what was recorded")
            }
            previous = computed
            expected += 1
        }
        guard expected - 1 == headSeq, previous == headHash else {
            return broken(nil, Int(expected - 1), "the newest entries of the chain are missing")
        }
        if let stray = try await connection.query(
            "SELECT audit_id FROM audit_entry WHERE state = 'settled' AND chain_seq IS NULL ORDER BY audit_id LIMIT 1",
            logger: logger
        ).collect().first {
            return broken(try stray.decode(Int64.self), Int(headSeq), "the entry is not in the chain")
        }
        return AuditVerification(
            ok: true, entries: Int(headSeq), headHash: previous.map { String(format: "%02x", $0) }.joined(),
            firstBadAuditId: nil, reason: nil, stored: ())
    }

    private static func broken(_ auditId: Int64?, _ entries: Int, _ reason: String) -> AuditVerification {
        AuditVerification(ok: false, entries: entries, headHash: nil, firstBadAuditId: auditId, reason: reason, stored: ())
    }
}
