import Crypto
import Foundation
public import GRDB
import JSONCore

/// The audit log's tamper evidence: every settled entry is linked, in the order it was settled,
/// into a SHA-256 hash chain (README, "Tamper evidence").
///
/// `hash(n) = SHA-256(hash(n-1) ‖ canonical(n))`, with 32 zero bytes before the first entry, and
/// `canonical(n)` the UTF-8 bytes of
///
///     contacts-gateway audit chain v1\n<seq>\n<JSON array of the entry's fields>\n<len>:<before>\n<len>:<after>
///
/// The fields are, as stored: auditId, contactId, operation, revisionBefore, revisionAfter,
/// changedFields (its stored JSON text), timestamp, actor, requestId, undoOf, groupId,
/// mergedFrom (stored JSON text), mergedInto, restoredAs, runId; `before` and `after` are the
/// stored snapshot bytes (empty when absent; a `before` the log leaves out because it equals the
/// previous entry's `after` is hashed as absent, and covered by that entry). `undoneBy` is not
/// covered: it is set later, when the entry is undone, and the undo's own entry (`undoOf`) is.
/// The head (sequence number and hash) is kept beside the entries, so removing the newest
/// entries is found too.
public enum AuditChain {
    static let columns = """
        audit_id, contact_id, operation, revision_before, revision_after, changed_fields, timestamp, actor, \
        request_id, undo_of, group_id, merged_from, merged_into, restored_as, run_id, before_json, after_json
        """

    static let zero = [UInt8](repeating: 0, count: 32)

    /// Links settled entry `auditId` to the head of the chain, inside the caller's transaction.
    static func extend(_ db: Database, auditId: Int64) throws {
        let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_chain WHERE id = 1")
        let previousSeq: Int64 = head?["seq"] ?? 0
        let previousHash: Data = head?["hash"] ?? Data(zero)
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(columns) FROM audit_entry WHERE audit_id = ?", arguments: [auditId])
        else { return }
        let seq = previousSeq + 1
        let hash = digest(previous: previousHash, seq: seq, row: row)
        try db.execute(
            sql: "UPDATE audit_entry SET chain_seq = ?, hash = ? WHERE audit_id = ?", arguments: [seq, hash, auditId])
        try db.execute(
            sql: "INSERT OR REPLACE INTO audit_chain (id, seq, hash) VALUES (1, ?, ?)", arguments: [seq, hash])
    }

    /// `hash(n)` for a row of ``columns``.
    static func digest(previous: Data, seq: Int64, row: Row) -> Data {
        func text(_ index: Int) -> JSONText {
            // As stored, whatever the type: a value edited behind the gateway's back must hash
            // differently, never crash the check.
            switch (row[index] as DatabaseValue).storage {
            case .null: return .null
            case .int64(let value): return .int(value)
            case .double(let value): return .string(String(value))
            case .string(let value): return .string(value)
            case .blob(let value): return .string(value.hex)
            }
        }
        var fields = "["
        for index in 0..<15 {
            if index > 0 { fields += "," }
            fields += text(index).encoded
        }
        fields += "]"
        let before = bytes(row[15])
        let after = bytes(row[16])
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: Data("contacts-gateway audit chain v1\n\(seq)\n\(fields)\n\(before.count):".utf8))
        hasher.update(data: before)
        hasher.update(data: Data("\n\(after.count):".utf8))
        hasher.update(data: after)
        return Data(hasher.finalize())
    }

    /// A snapshot column's bytes, whatever its stored type.
    private static func bytes(_ value: DatabaseValue) -> Data {
        switch value.storage {
        case .blob(let data): return data
        case .string(let text): return Data(text.utf8)
        case .null: return Data()
        case .int64(let int): return Data(String(int).utf8)
        case .double(let double): return Data(String(double).utf8)
        }
    }

    /// Recomputes the whole chain.
    static func verify(_ db: Database) throws -> AuditVerification {
        let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_chain WHERE id = 1")
        let headSeq: Int64 = head?["seq"] ?? 0
        let headHash: Data = head?["hash"] ?? Data(zero)
        var previous = Data(zero)
        var expected: Int64 = 1
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT \(columns), chain_seq, hash FROM audit_entry WHERE chain_seq IS NOT NULL ORDER BY chain_seq")
        while let row = try rows.next() {
            let seq: Int64 = row[17]
            let stored: Data? = row[18] as Data?
            let entry = row
            let auditId: Int64 = row[0]
            guard seq == expected else {
                return .broken(at: auditId, entries: Int(expected - 1), reason: "entry \(expected) of the chain is missing")
            }
            let computed = digest(previous: previous, seq: seq, row: entry)
            guard computed == stored else {
                return .broken(at: auditId, entries: Int(expected - 1), reason: "the entry differs from what was recorded")
            }
            previous = computed
            expected += 1
        }
        guard expected - 1 == headSeq, previous == headHash else {
            return .broken(at: nil, entries: Int(expected - 1), reason: "the newest entries of the chain are missing")
        }
        // A settled entry outside the chain was written behind the gateway's back.
        if let stray = try Int64.fetchOne(
            db,
            sql: """
                SELECT audit_id FROM audit_entry WHERE state = 'settled' AND chain_seq IS NULL
                    AND audit_id >= (SELECT COALESCE(MIN(started_at_audit_id), 0) FROM audit_chain_start)
                ORDER BY audit_id LIMIT 1
                """)
        {
            return .broken(at: stray, entries: Int(headSeq), reason: "the entry is not in the chain")
        }
        return AuditVerification(ok: true, entries: Int(headSeq), headHash: headHash.hex, firstBadAuditId: nil, reason: nil)
    }
}

/// What `audit.verify` found.
public struct AuditVerification: Sendable, Equatable {
    /// Whether every chained entry is as recorded.
    public var ok: Bool
    /// Entries checked (all of the chain when `ok`).
    public var entries: Int
    /// The head's hash, hex; compare it with one kept elsewhere to find a log replaced whole.
    public var headHash: String?
    /// The first entry that is not as recorded (or follows a missing one); `nil` when the newest
    /// entries are missing.
    public var firstBadAuditId: Int64?
    /// Why it failed, in words.
    public var reason: String?

    static func broken(at auditId: Int64?, entries: Int, reason: String) -> AuditVerification {
        AuditVerification(ok: false, entries: entries, headHash: nil, firstBadAuditId: auditId, reason: reason)
    }
}

/// A column value as it enters the canonical JSON array.
private enum JSONText {
    case string(String)
    case int(Int64)
    case null

    var encoded: String {
        switch self {
        case .int(let value): return String(value)
        case .null: return "null"
        case .string(let value):
            var output: [UInt8] = []
            JSONValue.writeString(value, to: &output)
            return String(decoding: output, as: UTF8.self)
        }
    }
}

extension Data {
    /// Lowercase hex.
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
