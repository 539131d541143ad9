public import GRDB
import JSONCore
public import WixContacts

/// A contact the store deleted: what it was, for the journal.
public struct ContactDeletion: Sendable {
    /// The contact as it was stored.
    public let snapshot: ContactSnapshot
    /// The target it was merged into; `nil` for a plain delete.
    public let mergedInto: String?
    /// The id of the contact's latest journal record, which its row kept (`journal_head`) and
    /// took with it: the journal's to keep elsewhere. `nil` when the row kept none.
    public var journalHead: Int64? = nil
}

/// A change journal that records nothing: the store's unaudited operations (the Wix API as the
/// emulator serves it).
struct UnrecordedChanges: ChangeJournal {
    func record(_ change: ContactChange, in db: Database) throws -> Int64 {
        try ContactStore.requireTriggers(forUnrecordedChangeIn: db)
        return 0
    }

    func recordDeletion(_ deletion: ContactDeletion, in db: Database) throws -> Int64 {
        try ContactStore.requireTriggers(forUnrecordedChangeIn: db)
        return 0
    }
}

extension ContactStore {
    // MARK: - Delete

    /// Deletes a contact (only while at `revision`, when given) and records it in `journal`, in
    /// one transaction.
    ///
    /// - Throws: `CONTACT_NOT_FOUND`, `CONTACT_ALREADY_CHANGED`, `CANNOT_DELETE_SITE_MEMBERS`.
    public func delete(id: String, revision: Int? = nil, journal: some ChangeJournal) async throws
        -> (ContactDeletion, Int64)
    {
        let (result, _) = try await committer.write { db in
            let deletion = try self.deleteRow(db, id: id, mergedInto: nil, revision: revision)
            return (deletion, try journal.recordDeletion(deletion, in: db))
        }
        decodedContacts.forget(id)
        return result
    }

    /// Removes a contact's rows inside the caller's transaction (see ``write(changes:)``).
    ///
    /// - Throws: `CONTACT_NOT_FOUND`, `CONTACT_ALREADY_CHANGED` (not at `revision`, when given),
    ///   `CANNOT_DELETE_SITE_MEMBERS` (`CANNOT_MERGE_SITE_MEMBERS` with `mergedInto`).
    public func deleteRow(_ db: Database, id: String, mergedInto: String?, revision: Int? = nil) throws
        -> ContactDeletion
    {
        let loaded = try Self.load(db, id: id, cache: decodedContacts)
        if let revision, revision != loaded.contact.revision {
            throw ContactsError.contactAlreadyChanged(currentRevision: loaded.contact.revision)
        }
        if loaded.isMember {
            throw ContactsError(
                mergedInto == nil ? .cannotDeleteSiteMembers : .cannotMergeSiteMembers,
                details: ["contactId": .string(id)])
        }
        let key = try Self.contactKey(db, id: id)
        for (table, _, _) in StoreSchema.itemTables {
            try CountKeeping.deleteItems(db, table: table, key: key)
        }
        let deleted = try db.cachedStatement(
            sql: "DELETE FROM contact WHERE id = ? RETURNING created_date, journal_head"
        ).fetchAll(arguments: [.text(id)]) { (createdDate: Int64($0.int(0)), head: $0.optionalInt(1).map(Int64.init)) }
        for row in deleted { try CountKeeping.contactDeleted(db, id: id, createdDate: row.createdDate) }
        if let mergedInto {
            // Earlier sources merged into this one now lead to the new target too.
            try db.execute(
                sql: "UPDATE merged_contact SET target_id = ? WHERE target_id = ?", arguments: [mergedInto, id])
            try db.execute(
                sql: "INSERT OR REPLACE INTO merged_contact (source_id, target_id) VALUES (?, ?)",
                arguments: [id, mergedInto])
        }
        return ContactDeletion(
            snapshot: loaded.snapshot, mergedInto: mergedInto, journalHead: deleted.first?.head ?? nil)
    }

    /// The contact a merged-away id now answers to (Get Contact only, as on Wix); `nil` when the
    /// id was never merged.
    static func mergeTarget(_ db: Database, of id: String) throws -> String? {
        try db.cachedStatement(sql: "SELECT target_id FROM merged_contact WHERE source_id = ?")
            .fetchFirst(.text(id)) { $0.text(0) } ?? nil
    }

    /// Runs `body` — several changes and deletions of contacts, applied and recorded by the
    /// body itself — in one transaction: all of them commit, or none. `body` returns its result
    /// with the changes it applied and the ids it deleted, so this process's memory of those
    /// contacts follows the commit.
    public func write<T: Sendable>(
        changes body: @escaping @Sendable (Database) throws -> (T, changed: [ContactChange], deleted: [String])
    ) async throws -> T {
        let ((value, changed, deleted), stamp) = try await committer.write(body)
        for id in deleted { decodedContacts.forget(id) }
        for change in changed {
            decodedContacts.remember(
                change.afterContact, snapshot: change.snapshot, stored: change.storedJSON, isMember: change.isMember,
                committedAt: stamp)
        }
        return value
    }

    // MARK: - Labels

    /// Plans Label / Unlabel Contact on the contact as stored.
    func planRelabel(_ db: Database, id: String, adding: [String], removing: [String]) throws -> ContactChange {
        let lookups = DatabaseLookups(db: db)
        for key in adding + removing where try !lookups.labelExists(key) {
            throw ContactsError(.labelNotFound, details: ["labelKey": .string(key)])
        }
        let loaded = try Self.load(db, id: id, cache: decodedContacts)
        var labels = (loaded.contact.info.labelKeys ?? []).filter { !removing.contains($0) }
        for key in adding where !labels.contains(key) { labels.append(key) }
        let patch = try ContactInfoPatch(json: ["labelKeys": ["items": .array(labels.map { .string($0) })]])
        return try planUpdate(db, id: id, patch: patch, revision: loaded.contact.revision, allowDuplicates: true)
    }

    /// Deletes a label: every contact that has it loses it (each change recorded in `journal`),
    /// then the label itself goes, all in one transaction. Returns the contacts' changes.
    ///
    /// - Throws: `LABEL_NOT_FOUND`.
    public func deleteLabel(key: String, journal: some ChangeJournal) async throws -> [(ContactChange, Int64)] {
        let (changes, stamp) = try await committer.write { db in
            guard try DatabaseLookups(db: db).labelExists(key) else {
                throw ContactsError(.labelNotFound, details: ["labelKey": .string(key)])
            }
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT c.id FROM contact_label i JOIN contact c ON c.contact_key = i.contact_key
                    WHERE i.label_key = ? ORDER BY c.id
                    """, arguments: [key])
            var changes: [(ContactChange, Int64)] = []
            for id in ids {
                let change = try self.planRelabel(db, id: id, adding: [], removing: [key])
                try self.apply(change, in: db)
                changes.append((change, try journal.record(change, in: db)))
            }
            try db.execute(sql: "DELETE FROM label WHERE key = ?", arguments: [key])
            return changes
        }
        for (change, _) in changes {
            decodedContacts.remember(
                change.afterContact, snapshot: change.snapshot, stored: change.storedJSON, isMember: change.isMember,
                committedAt: stamp)
        }
        return changes
    }

    // MARK: - Merge

    /// What merging `sourceIds` into `targetId` would make of the target; writes nothing.
    public func previewMerge(targetId: String, sourceIds: [String]) async throws -> ContactChange {
        try MergeRules.checkIDs(targetId: targetId, sourceIds: sourceIds)
        return try await read { db in
            try self.planMerge(db, targetId: targetId, sourceIds: sourceIds, targetRevision: nil)
        }
    }

    /// Merges `sourceIds` into `targetId` (``MergeRules``): the target's change and each source's
    /// deletion are recorded in `journal`, all in one transaction.
    ///
    /// - Throws: `INVALID_ARGUMENT`, `CONTACT_NOT_FOUND`, `CONTACT_ALREADY_CHANGED` (a stale
    ///   `targetRevision`), `CANNOT_MERGE_SITE_MEMBERS`.
    public func merge(targetId: String, sourceIds: [String], targetRevision: Int?, journal: some ChangeJournal)
        async throws -> (change: ContactChange, targetRecord: Int64, sourceRecords: [Int64])
    {
        try MergeRules.checkIDs(targetId: targetId, sourceIds: sourceIds)
        let (result, stamp) = try await committer.write { db in
            let change = try self.planMerge(
                db, targetId: targetId, sourceIds: sourceIds, targetRevision: targetRevision)
            var sourceRecords: [Int64] = []
            for id in sourceIds {
                let deletion = try self.deleteRow(db, id: id, mergedInto: targetId)
                sourceRecords.append(try journal.recordDeletion(deletion, in: db))
            }
            try self.apply(change, in: db)
            return (change: change, targetRecord: try journal.record(change, in: db), sourceRecords: sourceRecords)
        }
        for id in sourceIds { decodedContacts.forget(id) }
        decodedContacts.remember(
            result.change.afterContact, snapshot: result.change.snapshot, stored: result.change.storedJSON,
            isMember: result.change.isMember, committedAt: stamp)
        return result
    }

    private func planMerge(_ db: Database, targetId: String, sourceIds: [String], targetRevision: Int?) throws
        -> ContactChange
    {
        let target = try Self.load(db, id: targetId, cache: decodedContacts)
        if let targetRevision, targetRevision != target.contact.revision {
            throw ContactsError.contactAlreadyChanged(currentRevision: target.contact.revision)
        }
        var sources: [ContactInfo] = []
        for id in sourceIds {
            let source = try Self.load(db, id: id, cache: decodedContacts)
            if source.isMember { throw ContactsError(.cannotMergeSiteMembers, details: ["contactId": .string(id)]) }
            sources.append(source.contact.info)
        }
        let patch = MergeRules.patch(target: target.contact.info, sources: sources)
        // The sources still hold their emails and phones until they are deleted, in this same
        // transaction: the target takes them over, so they are no duplicates.
        return try planUpdate(
            db, id: targetId, patch: patch, revision: target.contact.revision, allowDuplicates: true)
    }
}

extension ContactStore {
    // MARK: - The Wix operations, unrecorded (as the emulator serves them)

    public func deleteContact(id: String) async throws {
        _ = try await delete(id: id, journal: UnrecordedChanges())
    }

    public func labelContact(id: String, labelKeys: [String]) async throws -> ContactSnapshot {
        try await relabel(id: id, adding: labelKeys, removing: [])
    }

    public func unlabelContact(id: String, labelKeys: [String]) async throws -> ContactSnapshot {
        try await relabel(id: id, adding: [], removing: labelKeys)
    }

    private func relabel(id: String, adding: [String], removing: [String]) async throws -> ContactSnapshot {
        try await write(change: { db in
            let change = try self.planRelabel(db, id: id, adding: adding, removing: removing)
            try self.apply(change, in: db)
            return (change.snapshot, change)
        })
    }

    public func previewMerge(targetId: String, sourceIds: [String]) async throws -> ContactSnapshot {
        try await previewMerge(targetId: targetId, sourceIds: sourceIds).snapshot
    }

    public func mergeContacts(targetId: String, sourceIds: [String], targetRevision: Int?) async throws
        -> ContactSnapshot
    {
        try await merge(
            targetId: targetId, sourceIds: sourceIds, targetRevision: targetRevision, journal: UnrecordedChanges()
        ).change.snapshot
    }

    public func deleteLabel(key: String) async throws {
        _ = try await deleteLabel(key: key, journal: UnrecordedChanges())
    }
}
