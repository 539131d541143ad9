import FastSQLite
import Foundation
import GRDB
import JSONCore
import SharedDatabase

/// A contact's JSON stored once (issue #20: a contact and its create entry held it twice).
///
/// On the embedded store, an entry leaves its `after` out: while the entry is the contact's
/// latest, the `contact` row holds that JSON (packed: ``CompactJSON``); the contact's next
/// entry, written just before the row changes, stores it as its `before`. Every entry then
/// stores one snapshot (its `before`; a create none), nothing is written twice, and no stored
/// entry is ever rewritten — the log stays append-only.
///
/// A change the log does not record (the emulator's, or a hand-run `sqlite3`) would take the
/// row's bytes with it, so two triggers keep them: just before a contact's JSON is updated or
/// its row deleted, if the contact's latest entry still leaves its `after` in the row at this
/// revision, they copy it into the entry. The gateway's own writes record first, so the latest
/// entry is already the new one and the triggers do nothing; its local backend's writer skips
/// them altogether (``SQLiteAuditStore/recordEveryChange(of:)``), since a recorded change's entry
/// keeps the row's JSON as its `before` whichever comes first, the record or the row.
///
/// Readers fill a left-out `after` in (``resolve(_:in:)``); the hash chain covers it like any
/// other, so a row edited around the triggers fails `audit.verify` at its entry.
enum ContactRowAfters {
    /// The triggers' names.
    static let triggers = ["audit_after_kept_on_contact_update", "audit_after_kept_on_contact_delete"]

    /// Creates the triggers when the file holds the embedded store's contacts and they are
    /// missing. A wix backend's own audit file has no contacts, and its entries store every
    /// `after`.
    ///
    /// The contact's latest entry is its head (``AuditHeads``). A deleted row takes the head it
    /// kept with it, so the delete trigger first keeps that in `audit_head`.
    static func install(_ db: Database) throws {
        guard try AuditHeads.hasRowHeads(db) else { return }
        // The head the row has after the statement: the store's main path writes the new
        // entry's id in the same `UPDATE` as the JSON (the entry came first, so nothing to keep).
        let keep = { (row: String) in
            """
            UPDATE audit_entry SET after_json = OLD.json
                WHERE audit_id = coalesce(\(row).journal_head,
                    (SELECT audit_id FROM audit_head WHERE contact_id = OLD.id))
                  AND after_json IS NULL AND revision_after = OLD.revision;
            """
        }
        let keepHead = """
            INSERT INTO audit_head (contact_id, audit_id) SELECT OLD.id, OLD.journal_head
                WHERE OLD.journal_head IS NOT NULL
                ON CONFLICT (contact_id) DO UPDATE SET audit_id = MAX(audit_id, excluded.audit_id);
            """
        try db.execute(
            sql: """
                CREATE TRIGGER IF NOT EXISTS \(triggers[0]) BEFORE UPDATE OF json ON contact BEGIN \(keep("NEW")) END;
                CREATE TRIGGER IF NOT EXISTS \(triggers[1]) BEFORE DELETE ON contact BEGIN \(keepHead) \(keep("OLD")) END;
                """)
    }

    /// ``install(_:)`` at open, only writing when a trigger is missing: a file whose audit log
    /// was migrated before the store's contacts were in it.
    static func installIfNeeded(_ writer: some DatabaseWriter) throws {
        let missing = try writer.read { db in
            try AuditHeads.hasRowHeads(db)
                && Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?)",
                    arguments: [triggers[0], triggers[1]]) != 2
        }
        if missing { try writer.write { db in try install(db) } }
    }

    /// The `after` at `revision` that entry `auditId` of `contactId` left out: the `before` of the
    /// contact's next entry, or, when it is still the latest, the contact's row, unpacked
    /// (``StoredSnapshot/bytes(_:)``); `nil` when neither holds that revision (the row changed
    /// around the triggers).
    static func after(of contactId: String, revision: Int, leftOutBy auditId: Int64, in db: Database) throws
        -> [UInt8]?
    {
        if let nextId = try AuditHeads.next(after: auditId, of: contactId, in: db) {
            let next = try db.cachedStatement(
                sql: "SELECT revision_before, before_json FROM audit_entry WHERE audit_id = ?"
            ).fetchFirst(.int(nextId)) { row in (row.optionalInt(0), row.optionalBytes(1)) }
            return next?.0 == revision ? next?.1.map(StoredSnapshot.bytes) : nil
        }
        guard try db.hasTable("contact") else { return nil }
        return try db.cachedStatement(sql: "SELECT json FROM contact WHERE id = ? AND revision = ?")
            .fetchFirst(.text(contactId), .int(revision)) { StoredSnapshot.bytes($0.bytes(0)) }
    }

    /// Fills in the `after`s `entries` left out: from the next entry of the same contact when it
    /// is on the page (a contact's history usually is), else read.
    static func resolve(_ entries: inout [AuditEntry], in db: Database) throws {
        try AuditEntry.fill(&entries, missing: \.after, at: \.revisionAfter, from: \.before, at: \.revisionBefore) {
            try resolve(&$0, in: db)
        }
    }

    /// The same for one entry.
    static func resolve(_ entry: inout AuditEntry, in db: Database) throws {
        guard entry.after == nil, let revision = entry.revisionAfter else { return }
        entry.after = try after(of: entry.contactId, revision: revision, leftOutBy: entry.auditId, in: db)
            .map(StoredSnapshot.json)
    }
}

/// The `after`s a walk of the chain (``AuditChain/verify(_:)``) meets left out, found by reading
/// ahead of it: the next entry of the same contact, whose stored `before` holds them, is most
/// often a few thousand entries further on. A second cursor keeps the `before`s of the next
/// ``window`` entries in memory, so the walk looks each up there and reads the log or the
/// contact's row only for the rest (about 30 MB at most, for 1 KB contacts).
final class LeftOutAfters {
    private struct Key: Hashable {
        let contactId: String
        let revision: Int
    }

    /// How many entries ahead of the walk the cursor reads.
    static let window: Int64 = 30_000

    private let cursor: RowCursor
    private var ahead: [Key: [UInt8]] = [:]
    private var read: [(seq: Int64, key: Key)] = []
    private var passed = 0
    private var readTo: Int64 = 0
    private var isExhausted = false

    init(_ db: Database) throws {
        cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT chain_seq, contact_id, revision_before, before_json FROM audit_entry
                WHERE chain_seq IS NOT NULL AND before_json IS NOT NULL AND revision_before IS NOT NULL
                ORDER BY chain_seq
                """)
    }

    /// The `after` at `revision` that entry `auditId` of `contactId`, at `seq` in the chain, left
    /// out (see ``ContactRowAfters/after(of:revision:leftOutBy:in:)``).
    func after(of contactId: String, revision: Int, leftOutBy auditId: Int64, at seq: Int64, in db: Database)
        throws -> [UInt8]?
    {
        while !isExhausted, readTo < seq + Self.window {
            guard let row = try cursor.next() else {
                isExhausted = true
                break
            }
            readTo = row[0]
            let key = Key(contactId: row[1], revision: row[2])
            ahead[key] = StoredSnapshot.bytes(Array(row[3] as Data))
            read.append((readTo, key))
        }
        // Only a later entry's `before` can be this entry's `after`.
        while passed < read.count, read[passed].seq <= seq {
            ahead[read[passed].key] = nil
            passed += 1
        }
        if passed > 4096 {
            read.removeFirst(passed)
            passed = 0
        }
        if let found = ahead.removeValue(forKey: Key(contactId: contactId, revision: revision)) { return found }
        return try ContactRowAfters.after(of: contactId, revision: revision, leftOutBy: auditId, in: db)
    }
}
