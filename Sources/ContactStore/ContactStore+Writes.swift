import FastSQLite
import Foundation
public import GRDB
import JSONCore
import SharedDatabase
public import WixContacts

extension ContactStore {
    // MARK: - Convenience: plan and apply in one group-commit transaction

    /// Updates a contact (SPEC §4) and returns the change once it is durable.
    public func update(id: String, patch: ContactInfoPatch, revision: Int?, allowDuplicates: Bool = false) async throws
        -> ContactChange
    {
        try await write(change: { db in
            let change = try self.planUpdate(
                db, id: id, patch: patch, revision: revision, allowDuplicates: allowDuplicates)
            try self.apply(change, in: db)
            return (change, change)
        })
    }

    /// Creates a contact (SPEC §4); `member` marks a site member.
    public func create(patch: ContactInfoPatch, allowDuplicates: Bool = false, member: Bool = false) async throws
        -> ContactChange
    {
        try await write(change: { db in
            let change = try self.planCreate(db, patch: patch, allowDuplicates: allowDuplicates, member: member)
            try self.apply(change, in: db)
            return (change, change)
        })
    }

    // MARK: - Planning

    /// Works out the result of an update without writing anything.
    ///
    /// - Throws: `CONTACT_NOT_FOUND`, `CONTACT_ALREADY_CHANGED`, `CANNOT_HAVE_MULTIPLE_PRIMARY_INFO`,
    ///   `INVALID_ARGUMENT`, `INVALID_EXTENDED_FIELD_VALUE`, `INSUFFICIENT_CONTACT_DATA`,
    ///   `CANNOT_UPDATE_MEMBER_EMAIL`, `DUPLICATE_CONTACT_EXISTS`.
    ///
    /// - Parameters:
    ///   - revision: The revision the caller read; `nil` updates the latest (`forceUpdate`).
    ///   - fromCache: Plan from the contact as this process last saw it, without reading it,
    ///     when that is at `revision` (or `revision` is `nil`). The plan may then rest on a stale
    ///     contact: apply it through ``ContactStore/commit(_:journal:)``, and plan
    ///     again without the cache when that fails.
    ///   - restoringItemIDs: keep sent item ids that name no current item (an undo).
    public func planUpdate(
        _ db: Database, id: String, patch: ContactInfoPatch, revision: Int?, allowDuplicates: Bool,
        fromCache: Bool = false, restoringItemIDs: Bool = false
    ) throws -> ContactChange {
        let loaded = try loadForUpdate(db, id: id, revision: revision, fromCache: fromCache)
        return try plan(
            before: loaded.decoded, isMember: loaded.isMember, beforeSnapshot: loaded.snapshot,
            beforeStored: loaded.stored, beforeIsAudited: loaded.isAudited, beforeJournalHead: loaded.journalHead,
            patch: patch, revision: revision,
            allowDuplicates: allowDuplicates,
            restoringItemIDs: restoringItemIDs, db: db)
    }

    /// ``planUpdate(_:id:patch:revision:allowDuplicates:fromCache:)`` from the cache and without a
    /// database connection, when that is possible: the contact as this process last saw it is at
    /// `revision` (or `revision` is `nil`), and the patch needs no lookup (see
    /// ``planningReads(_:allowDuplicates:)``). `nil` otherwise.
    ///
    /// Like any plan from the cache, apply it through
    /// ``ContactStore/commit(_:journal:)``.
    public func planUpdateInMemory(
        id: String, patch: ContactInfoPatch, revision: Int?, allowDuplicates: Bool, restoringItemIDs: Bool = false
    ) throws -> ContactChange? {
        guard !Self.planningReads(patch, allowDuplicates: allowDuplicates),
            let cached = decodedContacts.latest(id), revision == nil || revision == cached.contact.revision
        else { return nil }
        return try plan(
            before: cached.decoded, isMember: cached.isMember, beforeSnapshot: cached.snapshot,
            beforeStored: cached.stored, beforeIsAudited: cached.recordedInAudit, beforeJournalHead: cached.journalHead,
            patch: patch, revision: revision,
            allowDuplicates: allowDuplicates,
            restoringItemIDs: restoringItemIDs, db: nil)
    }

    /// Whether planning `patch` reads the database beyond the contact itself
    /// (``ContactRules/needsLookups(_:allowDuplicates:)``).
    static func planningReads(_ patch: ContactInfoPatch, allowDuplicates: Bool) -> Bool {
        ContactRules.needsLookups(patch, allowDuplicates: allowDuplicates)
    }

    /// The change `patch` makes to `before`. `db` answers the lookups of
    /// ``planningReads(_:allowDuplicates:)``; it may be `nil` only when there are none.
    private func plan(
        before: DecodedContact, isMember: Bool, beforeSnapshot: ContactSnapshot, beforeStored: [UInt8]?,
        beforeIsAudited: Bool, beforeJournalHead: Int64?,
        patch: ContactInfoPatch, revision: Int?, allowDuplicates: Bool, restoringItemIDs: Bool = false,
        db: Database?
    ) throws -> ContactChange {
        let revision = revision ?? before.contact.revision
        guard revision == before.contact.revision else {
            throw ContactsError.contactAlreadyChanged(currentRevision: before.contact.revision)
        }
        let updated = try rules.update(
            before.contact, isMember: isMember, patch: patch, allowDuplicates: allowDuplicates,
            lookups: db.map(DatabaseLookups.init), restoringItemIDs: restoringItemIDs)
        let changedFields = updated.info.changedFields(comparedTo: before.contact.info)
        // `after` is held once, by the snapshot, and shared by the change; `before` stays where
        // it was (the cache entry, when planned from memory).
        let after = DecodedContact(consume updated)
        return ContactChange(
            before: before, beforeSnapshot: beforeSnapshot, after: after, snapshot: ContactSnapshot(decoded: after),
            changedFields: changedFields, isMember: isMember, beforeIsAudited: beforeIsAudited,
            beforeStoredJSON: beforeStored, beforeJournalHead: beforeJournalHead
        )
    }

    private func loadForUpdate(_ db: Database, id: String, revision: Int?, fromCache: Bool) throws -> (
        decoded: DecodedContact, isMember: Bool, snapshot: ContactSnapshot, stored: [UInt8]?, isAudited: Bool,
        journalHead: Int64?
    ) {
        if fromCache, let cached = decodedContacts.latest(id), revision == nil || revision == cached.contact.revision {
            return (
                cached.decoded, cached.isMember, cached.snapshot, cached.stored, cached.recordedInAudit,
                cached.journalHead
            )
        }
        let loaded = try Self.load(db, id: id, cache: decodedContacts)
        return (DecodedContact(loaded.contact), loaded.isMember, loaded.snapshot, loaded.stored, false, nil)
    }

    /// Works out a new contact without writing anything.
    public func planCreate(_ db: Database, patch: ContactInfoPatch, allowDuplicates: Bool, member: Bool) throws
        -> ContactChange
    {
        let created = try rules.create(
            patch: patch, member: member, allowDuplicates: allowDuplicates, lookups: DatabaseLookups(db: db))
        let changedFields = created.info.changedFields(comparedTo: ContactInfo())
        let contact = DecodedContact(consume created)
        return ContactChange(
            before: nil, beforeSnapshot: nil, after: contact, snapshot: ContactSnapshot(decoded: contact),
            changedFields: changedFields, isMember: member)
    }

    /// Wix's rules, stamping with the store's clock and naming with its ids.
    var rules: ContactRules {
        ContactRules(
            now: { [configuration] in Timestamp.rfc3339(millisecondsSince1970: configuration.clock()) },
            makeID: configuration.makeID)
    }

    // MARK: - Applying

    /// Whether a change planned outside the write transaction (from the cache, or on a reader)
    /// can still be written as planned: a create always, an update while the contact is still at
    /// the revision it was planned on. If not, plan again from the store. `head` is the id of the
    /// contact's latest journal record that its row keeps (`journal_head`), read with the
    /// revision.
    ///
    /// Planning is most of a write's cost; doing it outside the one writer's transaction keeps
    /// that short, so many writes fit in each group commit.
    func plannedRow(_ change: ContactChange, in db: Database) throws -> (holds: Bool, head: Int64?) {
        guard let revision = change.beforeRevision else { return (true, nil) }
        let row = try db.statement(for: Self.revision).fetchFirst(.text(change.afterContact.contact.id)) {
            (revision: $0.int(0), head: $0.optionalInt(1).map(Int64.init))
        }
        return (row?.revision == revision, row?.head)
    }

    private static let revision = BatchSQL("SELECT revision, journal_head FROM contact WHERE id = ?")

    /// Writes a change planned outside the write transaction once
    /// ``plannedRow(_:in:)`` said it holds, and checks again, since another contact
    /// may have taken an email meanwhile, that it creates no duplicate.
    ///
    /// - Throws: `DUPLICATE_CONTACT_EXISTS` when a duplicate appeared since planning.
    public func applyPlanned(
        _ change: ContactChange, in db: Database, patch: ContactInfoPatch, allowDuplicates: Bool,
        journalHead: Int64? = nil
    ) throws {
        try apply(change, in: db, journalHead: journalHead)
        try checkNoDuplicateAppeared(change, patch: patch, allowDuplicates: allowDuplicates, in: db)
    }

    /// Checks again, for a change planned outside the write transaction, that it creates no
    /// duplicate: another contact may have taken an email meanwhile.
    ///
    /// - Throws: `DUPLICATE_CONTACT_EXISTS`.
    func checkNoDuplicateAppeared(
        _ change: ContactChange, patch: ContactInfoPatch, allowDuplicates: Bool, in db: Database
    ) throws {
        // Only emails and phones make duplicates: the contact is not read for other patches.
        let fields = patch.setFields
        guard !allowDuplicates, fields.contains("emails") || fields.contains("phones") else { return }
        try rules.checkDuplicates(
            patch: patch, info: change.afterContact.contact.info, excluding: change.afterContact.contact.id,
            lookups: DatabaseLookups(db: db))
    }

    /// Writes a planned change inside the caller's transaction. Inside
    /// ``write(change:)``, the change is remembered once it has committed: only committed changes,
    /// since a rolled-back one would leave a state under a revision number that another process
    /// may give to a different state. `journalHead`, when given, is the id of the change's journal
    /// record, which the row keeps (``ChangeJournal/keepsRowHeads``); else the row keeps its own.
    public func apply(_ change: ContactChange, in db: Database, journalHead: Int64? = nil) throws {
        // `change`'s contacts are read where they are, field by field: a copy of a contact (or
        // of its info) retains each of its strings and lists, on the one writer.
        // The contact's key: the row just inserted, or read once when an item changed.
        var key: Int64?
        if change.beforeRevision != nil {
            try updateRow(of: change, journalHead: journalHead, in: db)
        } else {
            let created = change.afterContact
            let createdDate = StoreSchema.storedDate(created.contact.createdDate)
            try db.statement(for: Self.insertContact).run(
                .text(created.contact.id), .int(created.contact.revision), .blob(change.storedJSON),
                .int(change.isMember ? 1 : 0), .text(created.contact.info.name?.first),
                .text(created.contact.info.name?.last), .text(created.contact.info.company),
                .text(created.contact.primaryInfo?.email?.lowercased()), .text(created.contact.primaryInfo?.phone),
                .int(createdDate), .int(change.storedUpdatedDate),
                .int(journalHead.map(Int.init)))
            key = db.lastInsertedRowID
            // After taking the key: the count's own insert moves the last inserted row id.
            try CountKeeping.contactInserted(db, id: created.contact.id, createdDate: createdDate)
        }
        try replaceChangedItems(of: change, key: key, in: db)
    }

    /// Writes the row of an update planned outside the write transaction only if it is still as
    /// planned: at `change`'s `before` revision, keeping journal record `head` as its head. The
    /// one `UPDATE` checks and writes (no read first); it makes journal record `journalHead` the
    /// row's head. Returns whether the row was written; when it was, the item tables are too.
    func applyIfUnchanged(_ change: ContactChange, head: Int64, journalHead: Int64, in db: Database) throws -> Bool {
        guard try updateRow(of: change, journalHead: journalHead, ifStillHeadedBy: head, in: db) else { return false }
        try replaceChangedItems(of: change, key: nil, in: db)
        return true
    }

    /// Rewrites the item tables' rows of the lists `change` changed; `knownKey` is the contact's
    /// integer key when the caller has it (else it is read, once, if an item list changed).
    private func replaceChangedItems(of change: ContactChange, key knownKey: Int64?, in db: Database) throws {
        var key = knownKey
        func contactKey() throws -> Int64 {
            if let key { return key }
            let found = try Self.contactKey(db, id: change.afterContact.contact.id)
            key = found
            return found
        }
        if change.changedItemLists.contains(.emails) {
            try replaceLookups(
                db, table: "contact_email", key: contactKey(),
                values: (change.afterContact.contact.info.emails ?? []).compactMap { $0.email?.lowercased() })
        }
        if change.changedItemLists.contains(.phones) {
            let phones = change.afterContact.contact.info.phones ?? []
            try replaceLookups(
                db, table: "contact_phone", key: contactKey(), values: phones.compactMap(ContactRules.phoneKey))
            try replaceLookups(db, table: "contact_phone_number", key: contactKey(), values: phones.compactMap(\.phone))
        }
        if change.changedItemLists.contains(.labels) {
            try replaceLookups(
                db, table: "contact_label", key: contactKey(), values: change.afterContact.contact.info.labelKeys ?? [])
        }
    }

    private static let insertContact = BatchSQL(
        """
        INSERT INTO contact (id, revision, json, is_member, first_name, last_name, company, primary_email,
            primary_phone, created_date, updated_date, journal_head) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)

    /// The integer key of contact `id` (`v-compact-rows`), which its item tables hold.
    static func contactKey(_ db: Database, id: String) throws -> Int64 {
        guard
            let key = try db.cachedStatement(sql: "SELECT contact_key FROM contact WHERE id = ?")
                .fetchFirst(.text(id), body: { Int64($0.int(0)) })
        else { throw ContactsError.contactNotFound(id) }
        return key
    }

    /// Sets only the columns whose value changed, so SQLite leaves the indexes of the others
    /// alone: an update then rewrites the row and the `updated_date` index, not every index.
    ///
    /// With `expectedHead`, the row is written only while it is still at `change`'s `before`
    /// revision and keeps journal record `expectedHead` as its head. Returns whether it was
    /// written.
    @discardableResult
    private func updateRow(
        of change: ContactChange, journalHead: Int64?, ifStillHeadedBy expectedHead: Int64? = nil, in db: Database
    ) throws -> Bool {
        // Fields read through the shared contacts: a local copy would retain every field.
        let after = change.afterContact
        let before = change.beforeContact
        // Room for every argument at once: growing an array literal's storage reallocates it.
        var arguments: [SQLArgument] = []
        arguments.reserveCapacity(7 + Self.optionalColumns.count)
        arguments.append(.int(after.contact.revision))
        arguments.append(.blob(change.storedJSON))
        arguments.append(.int(change.storedUpdatedDate))
        arguments.append(.int(journalHead.map(Int.init)))
        var changed = 0
        func set(_ column: Int, _ value: String?, was old: String?) {
            guard value != old else { return }
            changed |= 1 << column
            arguments.append(.text(value))
        }
        set(0, after.contact.info.name?.first, was: before?.contact.info.name?.first)
        set(1, after.contact.info.name?.last, was: before?.contact.info.name?.last)
        set(2, after.contact.info.company, was: before?.contact.info.company)
        let email = after.contact.primaryInfo?.email
        let emailBefore = before?.contact.primaryInfo?.email
        if email != emailBefore { set(3, email?.lowercased(), was: emailBefore?.lowercased()) }
        set(4, after.contact.primaryInfo?.phone, was: before?.contact.primaryInfo?.phone)
        arguments.append(.text(after.contact.id))
        if let expectedHead {
            arguments.append(.int(change.beforeRevision))
            arguments.append(.int(Int(expectedHead)))
        } else {
            arguments.append(.null)
            arguments.append(.null)
        }
        try db.statement(for: Self.updateStatements[changed]).run(arguments: arguments)
        return db.rowsChangedByLastStatement == 1
    }

    /// The columns ``updateRow(of:journalHead:ifStillHeadedBy:in:)`` sets only when they change,
    /// in its order.
    private static let optionalColumns = ["first_name", "last_name", "company", "primary_email", "primary_phone"]

    /// The `UPDATE` for each set of changed ``optionalColumns`` (bit `i`: column `i`), written
    /// once rather than for every update. Its last two arguments, when not null, are the
    /// revision and the journal head the row must still have.
    private static let updateStatements: [BatchSQL] = (0..<(1 << optionalColumns.count)).map { changed in
        var assignments = "revision = ?, json = ?, updated_date = ?, journal_head = coalesce(?, journal_head)"
        var count = 4
        for (index, column) in optionalColumns.enumerated() where changed & (1 << index) != 0 {
            assignments += ", \(column) = ?"
            count += 1
        }
        let (id, revision, head) = (count + 1, count + 2, count + 3)
        return BatchSQL(
            """
            UPDATE contact SET \(assignments) WHERE id = ?\(id)
                AND (?\(revision) IS NULL OR (revision = ?\(revision) AND journal_head IS ?\(head)))
            """)
    }

    /// The `INSERT` of one item, for each item table.
    private static let insertItemSQL = Dictionary(
        uniqueKeysWithValues: StoreSchema.itemTables.map { table, column, _ in
            (table, BatchSQL("INSERT INTO \(table) (contact_key, \(column)) VALUES (?, ?)"))
        })

    /// Replaces the contact's items in one item table (`StoreSchema.itemTables`) with `values`.
    private func replaceLookups(_ db: Database, table: String, key: Int64, values: [String]) throws {
        guard let insertSQL = Self.insertItemSQL[table] else { preconditionFailure("not an item table: \(table)") }
        try CountKeeping.deleteItems(db, table: table, key: key)
        let insert = try db.statement(for: insertSQL)
        for value in Set(values) {
            try insert.run(.int(key), .text(value))
            if table == "contact_label" { try CountKeeping.labelInserted(db, labelKey: value) }
        }
    }
}
