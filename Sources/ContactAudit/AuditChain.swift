import Crypto
import FastSQLite
import Foundation
public import GRDB
import JSONCore
import SharedDatabase
import WixContacts

/// The audit log's tamper evidence: every settled entry is linked, in the order it was settled,
/// into a SHA-256 hash chain (README, "Tamper evidence").
///
/// `hash(n) = SHA-256(hash(n-1) ‖ canonical(n))`, with 32 zero bytes before the first entry, and
/// `canonical(n)` the UTF-8 bytes of
///
///     contacts-gateway audit chain v1\n<seq>\n<JSON array of the entry's fields>\n<len>:<before>\n<len>:<after>
///
/// The fields are, as recorded: auditId, contactId, operation, revisionBefore, revisionAfter,
/// changedFields (its JSON text, whether stored so or as a code: ``CompactEntryColumns``),
/// timestamp, actor, requestId, undoOf, groupId, mergedFrom (stored JSON text), mergedInto,
/// restoredAs, runId (stored, or its run's by key); `before` and `after` are the
/// snapshot bytes (empty when absent; a `before` the log leaves out because it equals the
/// previous entry's `after` is hashed as absent, and covered by that entry; an `after` left out
/// on the embedded store, ``ContactRowAfters``, is hashed whole, as the next entry's `before` or
/// the contact's row holds it). `undoneBy` is not
/// covered: it is set later, when the entry is undone, and the undo's own entry (`undoOf`) is.
/// The head (sequence number and hash) is kept beside the entries, so removing the newest
/// entries is found too.
public enum AuditChain {
    static let columns = """
        audit_id, contact_id, operation, revision_before, revision_after, changed_fields, timestamp, actor, \
        request_id, undo_of, group_id, merged_from, merged_into, restored_as, \(CompactEntryColumns.runIdColumn), \
        before_json, after_json, timestamp_ms
        """

    /// The hash before the first entry.
    public static let zero = [UInt8](repeating: 0, count: 32)

    /// Links settled entry `auditId` to the head of the chain, inside the caller's transaction.
    /// (An intent's entry, settled after it was written; a new entry is chained as it is
    /// inserted, by ``SQLiteAuditStore/append(_:_:clock:)``.)
    static func extend(_ db: Database, auditId: Int64) throws {
        let head = try head(db)
        let seq = head.seq + 1
        guard
            let hash = try db.cachedStatement(sql: "SELECT \(columns) FROM audit_entry WHERE audit_id = ?")
                .fetchFirst(.int(Int(auditId)), body: { digest(previous: head.hash, seq: seq, row: $0) })
        else { return }
        try db.cachedStatement(sql: "UPDATE audit_entry SET chain_seq = ?, hash = ? WHERE audit_id = ?")
            .run(.int(Int(seq)), .blob(hash), .int(Int(auditId)))
        try advance(db, to: seq, hash: hash)
    }

    /// One of an entry's fields as stored (every audit store hashes through these, so the
    /// canonical form exists once).
    public enum Value: Sendable {
        case null
        case int(Int)
        case text(String)

        /// An integer column.
        public init(_ int: Int?) { self = int.map { .int($0) } ?? .null }
        /// A text column.
        public init(_ text: String?) { self = text.map { .text($0) } ?? .null }
    }

    /// The head of the chain, as kept in memory by a group commit between its entries.
    private struct Head {
        var seq: Int64
        var hash: [UInt8]
    }

    /// The head of the chain: its sequence number and hash (0 and zeros when empty). Inside a
    /// group commit's transaction, read once and then kept in its ``TransactionMemo``.
    static func head(_ db: Database) throws -> (seq: Int64, hash: [UInt8]) {
        if let kept = TransactionMemo.current(db)?.value(Head.self) {
            return (kept.seq, kept.hash)
        }
        return try db.cachedStatement(sql: "SELECT seq, hash FROM audit_chain WHERE id = 1")
            .fetchFirst { (Int64($0.int(0)), $0.bytes(1)) } ?? (0, zero)
    }

    /// Moves the head to `seq`, `hash`: at once, or, inside a group commit's transaction, in its
    /// ``TransactionMemo``, written once before the commit.
    static func advance(_ db: Database, to seq: Int64, hash: [UInt8]) throws {
        if let memo = TransactionMemo.current(db) {
            memo.keep(Head(seq: seq, hash: hash)) { db, head in
                try write(db, seq: head.seq, hash: head.hash)
            }
            return
        }
        try write(db, seq: seq, hash: hash)
    }

    /// Stores the head.
    private static func write(_ db: Database, seq: Int64, hash: [UInt8]) throws {
        try db.cachedStatement(sql: "UPDATE audit_chain SET seq = ?, hash = ? WHERE id = 1")
            .run(.int(Int(seq)), .blob(hash))
        if db.changesCount == 0 {  // the first entry of the chain
            try db.cachedStatement(sql: "INSERT INTO audit_chain (id, seq, hash) VALUES (1, ?, ?)")
                .run(.int(Int(seq)), .blob(hash))
        }
    }

    /// `hash(n)` for a row whose first columns are ``columns``; `after` replaces the stored one
    /// when it was left in the contact's row.
    static func digest(previous: [UInt8], seq: Int64, row: FastRow, after: [UInt8]? = nil) -> [UInt8] {
        // As stored, whatever the type: a value edited behind the gateway's back must hash
        // differently, never stop the check.
        var fields = (Int32(0)..<15).map { index -> Value in
            if row.isNull(index) { return .null }
            if row.isInteger(index) { return .int(row.int(index)) }
            return .text(row.text(index) ?? "")
        }
        // The changed fields and timestamp as recorded, where they are stored compactly.
        if case .text(let changed) = fields[5] {
            fields[5] = .text(CompactEntryColumns.changedFieldsJSON(stored: changed))
        }
        if case .text(let timestamp) = fields[6], !row.isNull(17) {
            fields[6] = .text(CompactEntryColumns.timestamp(stored: timestamp, millis: Int64(row.int(17))))
        }
        return digest(
            previous: previous, seq: seq, fields: fields, before: StoredSnapshot.bytes(row.bytes(15)),
            after: after ?? StoredSnapshot.bytes(row.bytes(16)))
    }

    /// `hash(n)` of an entry's 15 fields (in the order of ``columns``) and snapshots as stored
    /// (unpacked when the row's packing came with them: ``StoredSnapshot/bytes(_:)``).
    public static func digest(
        previous: [UInt8], seq: Int64, fields values: [Value], before: [UInt8], after: [UInt8]
    ) -> [UInt8] {
        var fields = CanonicalFields(seq: seq)
        for value in values {
            switch value {
            case .null: fields.append(text: nil)
            case .int(let int): fields.append(int: int)
            case .text(let text): fields.append(text: text)
            }
        }
        return digest(previous: previous, fields: fields, before: before, after: after)
    }

    /// The start of `canonical(n)`, its sequence number and fields, written as they are given
    /// (in the order of ``columns``): the writer, which appends every entry, builds no list of
    /// them first.
    public struct CanonicalFields {
        fileprivate var bytes: [UInt8] = []
        private var count = 0

        /// The canonical form of entry `seq`, before its fields.
        public init(seq: Int64) {
            bytes.reserveCapacity(384)
            bytes.append(contentsOf: "contacts-gateway audit chain v1\n".utf8)
            JSONValue.writeInteger(Int(seq), to: &bytes)
            bytes.append(contentsOf: "\n[".utf8)
        }

        /// The next field, an integer column (`nil`: `NULL`).
        public mutating func append(int: Int?) {
            separate()
            if let int { JSONValue.writeInteger(int, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
        }

        /// The next field, a text column (`nil`: `NULL`).
        public mutating func append(text: String?) {
            separate()
            if let text { JSONValue.writeString(text, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
        }

        /// The next field, a timestamp column as recorded: RFC 3339 text of `millis`, written
        /// without making the string first (the same bytes as `append(text:)` of it).
        public mutating func append(timestampMillis millis: Int64) {
            separate()
            bytes.append(UInt8(ascii: "\""))
            Timestamp.appendRFC3339(millisecondsSince1970: millis, to: &bytes)
            bytes.append(UInt8(ascii: "\""))
        }

        private mutating func separate() {
            if count > 0 { bytes.append(UInt8(ascii: ",")) }
            count += 1
        }
    }

    /// `hash(n)` of an entry whose fields are `fields`, and whose snapshots are `before` and
    /// `after` as stored (unpacked).
    public static func digest(
        previous: [UInt8], fields: consuming CanonicalFields, before: [UInt8], after: [UInt8]
    ) -> [UInt8] {
        // Everything up to `before` in one buffer (the fields' own, taken over), written without
        // interim strings.
        var input = (consume fields).bytes
        input.append(contentsOf: "]\n".utf8)
        JSONValue.writeInteger(before.count, to: &input)
        input.append(UInt8(ascii: ":"))
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: input)
        hasher.update(data: before)
        input.removeAll(keepingCapacity: true)
        input.append(UInt8(ascii: "\n"))
        JSONValue.writeInteger(after.count, to: &input)
        input.append(UInt8(ascii: ":"))
        hasher.update(data: input)
        hasher.update(data: after)
        // Copied as one buffer: `Array(digest)` walks the digest's iterator a byte at a time.
        return hasher.finalize().withUnsafeBytes { Array($0) }
    }

    /// Stops the walk at the first bad entry.
    private struct Broken: Error {
        let verification: AuditVerification
    }

    /// Recomputes the whole chain.
    static func verify(_ db: Database) throws -> AuditVerification {
        let head = try db.cachedStatement(sql: "SELECT seq, hash FROM audit_chain WHERE id = 1")
            .fetchFirst { (Int64($0.int(0)), $0.bytes(1)) }
        let headSeq = head?.0 ?? 0
        var previous = zero
        var expected: Int64 = 1
        let leftOut = try LeftOutAfters(db)
        var links = AuditLinkCheck()
        do {
            _ = try db.makeStatement(
                sql: """
                    SELECT \(columns), chain_seq, hash, previous_id FROM audit_entry
                    WHERE chain_seq IS NOT NULL ORDER BY chain_seq
                    """
            ).fetchAll(arguments: []) { row -> Void in
                let auditId = Int64(row.int(0))
                guard Int64(row.int(18)) == expected else {
                    throw Broken(
                        verification: .broken(
                            at: auditId, entries: Int(expected - 1), reason: "entry \(expected) of the chain is missing"
                        ))
                }
                // An `after` left out: where it is kept, or missing if the row moved on around
                // the triggers.
                var after: [UInt8]?
                if row.isNull(16), !row.isNull(4) {
                    after =
                        try leftOut.after(
                            of: row.text(1) ?? "", revision: row.int(4), leftOutBy: auditId, at: expected, in: db) ?? []
                }
                let computed = digest(previous: previous, seq: expected, row: row, after: after)
                guard computed == row.bytes(19) else {
                    throw Broken(
                        verification: .broken(
                            at: auditId, entries: Int(expected - 1), reason: "the entry differs from what was recorded")
                    )
                }
                if let wrong = try links.check(
                    auditId, of: row.text(1) ?? "", previous: row.optionalInt(20).map(Int64.init), in: db)
                {
                    throw Broken(verification: .broken(at: auditId, entries: Int(expected - 1), reason: wrong))
                }
                previous = computed
                expected += 1
            }
        } catch let broken as Broken {
            return broken.verification
        }
        guard expected - 1 == headSeq, previous == (head?.1 ?? zero) else {
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
        if let fault = try links.checkHeads(in: db) {
            return .broken(at: fault.auditId, entries: Int(headSeq), reason: fault.reason)
        }
        return AuditVerification(
            ok: true, entries: Int(headSeq), headHash: Data(previous).hex, firstBadAuditId: nil, reason: nil)
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

extension Data {
    /// Lowercase hex.
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
