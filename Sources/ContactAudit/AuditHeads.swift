import FastSQLite
import GRDB
import SharedDatabase

/// A contact's entries, chained instead of indexed (`audit v7`).
///
/// Each settled entry keeps the id of the same contact's settled entry before it
/// (`previous_id`), and the contact's latest — its head — is kept where a write pays least for
/// it: in the embedded store's `contact` row (`journal_head`), on the page the change rewrites
/// anyway (the store writes it there itself on its main path,
/// ``ContactStore/ChangeJournal/keepsRowHeads``); else, for a contact without a row (a deleted
/// contact, an id an undo recreated under another, every contact of a wix backend's own log),
/// in `audit_head`. Every new entry of a contact with a row goes to the row, so a row's head,
/// when it has one, is the latest; `audit_head` answers for rows without one (written before
/// `audit v7`, or not yet: a create's entry comes before its row, outside the main path).
///
/// An index of `(contact_id, audit_id)` made every update write one random leaf of it and
/// split the leaves of every contact's growing run: a quarter of an update's time on the
/// embedded store. A contact's entries are now read by walking back from its head, newest
/// first. An intent (a remote change not yet answered) is not in the chain; it joins it when it
/// settles, and a discarded one never does.
enum AuditHeads {
    /// The id of `contactId`'s latest settled entry; `nil` when the log has none.
    static func latest(of contactId: String, in db: Database) throws -> Int64? {
        let sql =
            try hasRowHeads(db)
            ? """
            SELECT coalesce((SELECT journal_head FROM contact WHERE id = ?1),
                (SELECT audit_id FROM audit_head WHERE contact_id = ?1))
            """
            : "SELECT audit_id FROM audit_head WHERE contact_id = ?"
        return try db.cachedStatement(sql: sql).fetchFirst(.text(contactId)) { $0.optionalInt(0).map(Int64.init) }
            ?? nil
    }

    /// Makes `auditId` the head of `contactId`: in the contact's row when it has one, else in
    /// `audit_head`.
    static func advance(_ contactId: String, to auditId: Int64, in db: Database) throws {
        if try hasRowHeads(db) {
            try db.cachedStatement(sql: "UPDATE contact SET journal_head = ? WHERE id = ?")
                .run(.int(auditId), .text(contactId))
            if db.changesCount == 1 { return }
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO audit_head (contact_id, audit_id) VALUES (?, ?)
                    ON CONFLICT (contact_id) DO UPDATE SET audit_id = MAX(audit_id, excluded.audit_id)
                """
        ).run(.text(contactId), .int(auditId))
    }

    /// Links settled entry `auditId` of `contactId` after the contact's head and makes it the
    /// head, kept in `audit_head`: for an entry written already (an intent as it settles).
    static func link(_ auditId: Int64, of contactId: String, in db: Database) throws {
        guard !contactId.isEmpty else { return }
        let previous = try latest(of: contactId, in: db)
        try db.cachedStatement(sql: "UPDATE audit_entry SET previous_id = ? WHERE audit_id = ?")
            .run(.int(previous.map(Int.init)), .int(auditId))
        try advance(contactId, to: auditId, in: db)
    }

    /// The id of the entry after `auditId` in `contactId`'s chain: found by walking back from the
    /// head (only ids are read), so it costs one step per later entry; `nil` for the latest.
    static func next(after auditId: Int64, of contactId: String, in db: Database) throws -> Int64? {
        var later = try latest(of: contactId, in: db)
        var after: Int64?
        while let id = later, id > auditId {
            after = id
            later = try previous(of: id, in: db)
        }
        return later == auditId ? after : nil
    }

    /// Up to `count` entries of `contactId` that match `condition` (SQL over `audit_entry`'s
    /// columns, its `?`s bound to `arguments`), newest first from before `position` when
    /// `descending`, else oldest first from after it: a page of its history.
    ///
    /// Walking back from the head, newest first, stops as soon as the page is full, so the
    /// newest pages cost what they hold. Oldest first, the walk reads every link back to the
    /// position (or to the first entry), then the page's entries.
    static func page(
        of contactId: String, matching condition: String, _ arguments: [SQLArgument], from position: Int64?,
        descending: Bool, count: Int, in db: Database
    ) throws -> [AuditEntry] {
        let entry = try db.cachedStatement(
            sql:
                "SELECT \(AuditEntry.columns), previous_id, coalesce(\(condition), 0) FROM audit_entry WHERE audit_id = ?"
        )
        func read(_ id: Int64) throws -> (entry: AuditEntry, previous: Int64?, matches: Bool)? {
            try entry.fetchAll(arguments: arguments + [.int(id)]) { row in
                (AuditEntry(row: row), row.optionalInt(19).map(Int64.init), row.int(20) != 0)
            }.first
        }
        var page: [AuditEntry] = []
        var next = try latest(of: contactId, in: db)
        guard !descending else {
            // The pages before this one, by their links only.
            while let id = next, let position, id >= position { next = try previous(of: id, in: db) }
            while let id = next, page.count < count, let (entry, previous, matches) = try read(id) {
                if matches { page.append(entry) }
                next = previous
            }
            return page
        }
        var ids: [Int64] = []
        while let id = next, position.map({ id > $0 }) ?? true {
            ids.append(id)
            next = try previous(of: id, in: db)
        }
        for id in ids.reversed() where page.count < count {
            if let (entry, _, matches) = try read(id), matches { page.append(entry) }
        }
        return page
    }

    /// The link of entry `auditId`: its contact's entry before it (only the id is read).
    private static func previous(of auditId: Int64, in db: Database) throws -> Int64? {
        try db.cachedStatement(sql: "SELECT previous_id FROM audit_entry WHERE audit_id = ?")
            .fetchFirst(.int(auditId)) { $0.optionalInt(0).map(Int64.init) } ?? nil
    }

    /// SQL for each contact's head: rows of `contact_id, latest`.
    static func all(in db: Database) throws -> String {
        try hasRowHeads(db)
            ? """
            SELECT id AS contact_id, journal_head AS latest FROM contact WHERE journal_head IS NOT NULL
            UNION ALL SELECT contact_id, audit_id FROM audit_head
                WHERE NOT EXISTS (SELECT 1 FROM contact WHERE id = audit_head.contact_id AND journal_head IS NOT NULL)
            """
            : "SELECT contact_id, audit_id AS latest FROM audit_head"
    }

    /// Whether this file's contact rows keep heads: it holds the embedded store's contacts.
    /// Asked once per group commit (its ``TransactionMemo``), else at each call.
    static func hasRowHeads(_ db: Database) throws -> Bool {
        let memo = TransactionMemo.current(db)
        if let known = memo?.value(RowHeads.self) { return known.present }
        let present =
            try db.cachedStatement(sql: "SELECT 1 FROM pragma_table_info('contact') WHERE name = 'journal_head'")
            .fetchFirst { _ in true } ?? false
        memo?.keep(RowHeads(present: present)) { _, _ in }
        return present
    }

    /// What a group commit's memo keeps for ``hasRowHeads(_:)``.
    private struct RowHeads {
        let present: Bool
    }
}
