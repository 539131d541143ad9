public import ContactStore
public import GRDB

/// The audit log's ``ContactStore/ChangeJournal``: each change the embedded store commits gets
/// its entry in the same transaction.
///
/// This is the one place where a store change becomes an ``AuditRecord``; in particular the
/// store's ``ContactStore/ContactChange/beforeIsAudited`` (the change was planned from a state
/// this process committed with its entry) becomes ``AuditRecord/beforeIsLatestAfter``, which
/// lets the entry leave its `before` out without comparing.
public struct AuditJournal: ChangeJournal {
    /// What the entry says beyond the change itself.
    public struct Entry: Sendable {
        /// What was done.
        public var operation: AuditOperation
        /// Who made the change.
        public var actor: String?
        /// The request that made it.
        public var requestId: String?
        /// The entry this change undoes.
        public var undoOf: Int64?
        /// The group, and for a merge target its sources.
        public var links: AuditLinks
        /// An undo that recreates a deleted contact: the deleted contact's id, under which the
        /// entry is filed (with `restoredAs` naming the new contact).
        public var restoring: String?

        /// Creates the description of an entry.
        public init(
            operation: AuditOperation, actor: String?, requestId: String?, undoOf: Int64? = nil,
            links: AuditLinks = AuditLinks(), restoring: String? = nil
        ) {
            self.operation = operation
            self.actor = actor
            self.requestId = requestId
            self.undoOf = undoOf
            self.links = links
            self.restoring = restoring
        }
    }

    /// What each entry it records says beyond the change.
    public var entry: Entry {
        _read { yield entryBox.entry }
        _modify {
            var entry = entryBox.entry
            yield &entry
            entryBox = EntryBox(entry)
        }
    }
    /// `entry`, shared by the journal's copies: the store's generic write path captures and
    /// copies its journal several times a write, and a copy of an `Entry` retains each of its
    /// strings (about 20 atomic reference counts a write). A change (rare: a merge's sources, a
    /// restored contact) gets a box of its own.
    private var entryBox: EntryBox
    let clock: @Sendable () -> Int64
    /// The log's run keys.
    let runKeys: RunKeyCache

    init(entry: consuming Entry, clock: @escaping @Sendable () -> Int64, runKeys: RunKeyCache) {
        entryBox = EntryBox(entry)
        self.clock = clock
        self.runKeys = runKeys
    }

    /// Holds a journal's ``Entry``.
    private final class EntryBox: Sendable {
        let entry: Entry

        init(_ entry: consuming Entry) { self.entry = entry }
    }

    public func record(_ change: ContactChange, in db: Database) throws -> Int64 {
        try SQLiteAuditStore.append(db, record(of: change), clock: clock, runKeys: runKeys)
    }

    /// The log finds a contact's entries from its head, which the contact's row keeps
    /// (``AuditHeads``); but an entry filed under another id (``Entry/restoring``) is the head of
    /// that id, which has no row, so the log keeps it.
    public var keepsRowHeads: Bool { entry.restoring == nil }

    public func record(_ change: ContactChange, rowHead: Int64?, in db: Database) throws -> Int64 {
        try SQLiteAuditStore.append(
            db, record(of: change, rowHead: rowHead, headKeptByCaller: keepsRowHeads), clock: clock, runKeys: runKeys)
    }

    /// The next entry's id, where the log can keep it for the next record
    /// (``SQLiteAuditStore``'s group-commit memo, on a connection without triggers) and the row
    /// keeps heads.
    public func reservedRecordId(in db: Database) throws -> Int64? {
        guard keepsRowHeads else { return nil }
        return try SQLiteAuditStore.reservedAuditId(db)
    }

    /// The record of `change`, made by one initializer call (each copy of a record retains its
    /// strings and snapshots).
    private func record(of change: ContactChange, rowHead: Int64? = nil, headKeptByCaller: Bool = false)
        -> AuditRecord
    {
        let entry = entryBox.entry
        return AuditRecord(
            contactId: entry.restoring ?? change.snapshot.id, operation: entry.operation,
            before: change.beforeSnapshot, after: change.snapshot, changedFields: change.changedFields,
            actor: entry.actor, requestId: entry.requestId, undoOf: entry.undoOf,
            links: entry.restoring == nil ? entry.links : entry.links.restored(as: change.snapshot.id),
            beforeIsLatestAfter: change.beforeIsAudited,
            // The row holds the snapshot, unless the entry is filed under another id (a
            // deleted contact created again under a new one).
            afterIsContactRow: entry.restoring == nil, storedBefore: change.beforeStoredJSON, rowHead: rowHead,
            headKeptByCaller: headKeptByCaller)
    }

    /// A deletion is always a `delete` entry (a merge's sources too, with `mergedInto`); an
    /// undo that deletes (undoing a create) stays an `undo`.
    public func recordDeletion(_ deletion: ContactDeletion, in db: Database) throws -> Int64 {
        var links = entry.links
        links.mergedInto = deletion.mergedInto
        links.mergedFrom = nil
        var record = AuditRecord(
            contactId: deletion.snapshot.id, operation: entry.undoOf == nil ? .delete : .undo,
            before: deletion.snapshot, after: nil, changedFields: [], actor: entry.actor,
            requestId: entry.requestId, undoOf: entry.undoOf, links: links)
        record.rowHead = deletion.journalHead
        return try SQLiteAuditStore.append(db, record, clock: clock, runKeys: runKeys)
    }
}

extension SQLiteAuditStore {
    /// The journal that records changes of the embedded store in this log, which must live in
    /// the store's own database file.
    public func journal(_ entry: consuming AuditJournal.Entry) -> AuditJournal {
        AuditJournal(entry: entry, clock: clock, runKeys: runKeys)
    }
}
