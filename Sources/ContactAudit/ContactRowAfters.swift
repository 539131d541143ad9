import FastSQLite
import GRDB
import JSONCore

/// A contact's JSON stored once: the `after` of a contact's latest entry is left in the embedded
/// store's `contact` row, which holds those very bytes, instead of being stored in the entry too
/// (issue #20: a contact and its create entry held it twice).
///
/// It holds only while the row is at the entry's `revision_after`. Two triggers make that so
/// for every writer of the file, whichever process or path it is (the gateway, the emulator's
/// unrecorded changes, a hand-run `sqlite3`): just before a contact's JSON is updated or its row
/// deleted, the `after` the row holds for its latest entry is copied into that entry. A gateway's
/// next entry then leaves its `before` out, as the previous `after` it equals is stored.
///
/// Readers fill a left-out `after` in from the row (``resolve(_:in:)``); the hash chain covers it
/// like any other, so a row edited behind the log's back fails `audit.verify` at its entry.
enum ContactRowAfters {
    /// The triggers' names.
    static let triggers = ["audit_after_kept_on_contact_update", "audit_after_kept_on_contact_delete"]

    /// Creates the triggers when the file holds the embedded store's contacts and they are
    /// missing. A wix backend's own audit file has no contacts, and its entries store every
    /// `after`.
    static func install(_ db: Database) throws {
        guard try db.tableExists("contact") else { return }
        let keep = """
            UPDATE audit_entry SET after_json = OLD.json
                WHERE audit_id = (SELECT MAX(audit_id) FROM audit_entry WHERE contact_id = OLD.id)
                  AND after_json IS NULL AND revision_after = OLD.revision;
            """
        try db.execute(
            sql: """
                CREATE TRIGGER IF NOT EXISTS \(triggers[0]) BEFORE UPDATE OF json ON contact BEGIN \(keep) END;
                CREATE TRIGGER IF NOT EXISTS \(triggers[1]) BEFORE DELETE ON contact BEGIN \(keep) END;
                """)
    }

    /// ``install(_:)`` at open, only writing when a trigger is missing: a file whose audit log
    /// was migrated before the store's contacts were in it.
    static func installIfNeeded(_ writer: some DatabaseWriter) throws {
        let missing = try writer.read { db in
            try db.tableExists("contact")
                && Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?)",
                    arguments: [triggers[0], triggers[1]]) != 2
        }
        if missing { try writer.write { db in try install(db) } }
    }

    /// The left-out `after` of `revisionAfter` for `contactId`, from its row; `nil` when the row
    /// is not at that revision any more (changed behind the log's back).
    static func after(of contactId: String, revision: Int, in db: Database) throws -> [UInt8]? {
        try db.cachedStatement(sql: "SELECT json FROM contact WHERE id = ? AND revision = ?")
            .fetchFirst(.text(contactId), .int(revision)) { $0.bytes(0) }
    }

    /// Fills in `entry.after` when it was left out (an entry with a revision after but no stored
    /// `after`: only the embedded store's files have such entries).
    static func resolve(_ entry: inout AuditEntry, in db: Database) throws {
        guard entry.after == nil, let revision = entry.revisionAfter, try db.tableExists("contact") else { return }
        entry.after = try after(of: entry.contactId, revision: revision, in: db).map(RawJSON.init(trusted:))
    }
}
