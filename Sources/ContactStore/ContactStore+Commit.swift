public import GRDB
public import WixContacts

/// A change asked of the store: what a backend hands it without touching the database itself.
public enum ChangeRequest: Sendable {
    /// A new contact; `member` marks a site member.
    case create(patch: ContactInfoPatch, allowDuplicates: Bool, member: Bool)
    /// An update at `revision` (`nil`: the latest, as `forceUpdate` does).
    case update(id: String, patch: ContactInfoPatch, revision: Int?, allowDuplicates: Bool)
    /// An undo's update at `revision`: list items sent keep their ids even when the contact no
    /// longer holds them, so the items come back as they were (SPEC §7).
    case restore(id: String, patch: ContactInfoPatch, revision: Int)
    /// Label Contact / Unlabel Contact: adds `adding` and removes `removing` from the labels of the
    /// contact as it is when the change is applied (every key must exist: `LABEL_NOT_FOUND`).
    case relabel(id: String, adding: [String], removing: [String])

    var patch: ContactInfoPatch {
        switch self {
        case .create(let patch, _, _), .update(_, let patch, _, _), .restore(_, let patch, _): return patch
        case .relabel: return ContactInfoPatch(setting: ContactInfo())  // labels only: no duplicate to check
        }
    }

    var allowDuplicates: Bool {
        switch self {
        case .create(_, let allowDuplicates, _), .update(_, _, _, let allowDuplicates): return allowDuplicates
        case .restore, .relabel: return false
        }
    }
}

/// Records each change in the transaction that writes it: the audit log's hook into the store.
///
/// The store calls ``record(_:in:)`` once per change it commits, inside the same transaction as
/// the change, so the change and its record commit together or not at all. On the main path
/// (``ContactStore/commit(_:journal:)``) the record comes just before the row is written, so a
/// journal may leave the new JSON in the row (the audit log's `ContactRowAfters`); only where the
/// journal reserves the record's id first (``reservedRecordId(in:)``) does it come just after. A
/// journal stores the change's `snapshot` bytes as the record's `after`: the store relies on that
/// when it plans the contact's next change from memory (see ``ContactChange/beforeIsAudited``).
public protocol ChangeJournal: Sendable {
    /// Records `change` inside `db`'s transaction and returns the record's id.
    func record(_ change: ContactChange, in db: Database) throws -> Int64

    /// Records that a contact was deleted (`deletion.mergedInto` says when by a merge), inside
    /// `db`'s transaction, and returns the record's id.
    func recordDeletion(_ deletion: ContactDeletion, in db: Database) throws -> Int64

    /// Whether each contact row keeps the id of the contact's latest record (`journal_head`),
    /// so the journal finds a contact's records without an index of them. Then
    /// ``ContactStore/commit(_:journal:)`` records through ``record(_:rowHead:in:)`` and writes
    /// the id it returns into the row it writes next.
    var keepsRowHeads: Bool { get }

    /// ``record(_:in:)`` on the store's main write path, for a journal that ``keepsRowHeads``:
    /// `rowHead` is the id of the contact's latest record as its row kept it, read (or checked
    /// by the row's `UPDATE`) in this transaction (`nil`: not read, or none kept), and the row
    /// keeps the returned id in its place.
    func record(_ change: ContactChange, rowHead: Int64?, in db: Database) throws -> Int64

    /// The id that ``record(_:rowHead:in:)`` will return for the next record in `db`'s
    /// transaction, when the journal can promise it before recording (`nil` when it cannot).
    ///
    /// The store then writes the contact's row before recording, with that id as its head, and
    /// checks in the same `UPDATE` that the row is still as planned, instead of reading it
    /// first; it records only a change whose row it wrote. A journal promises an id only where
    /// nothing can look for the record in between: on a connection whose triggers are off.
    func reservedRecordId(in db: Database) throws -> Int64?
}

extension ChangeJournal {
    /// Rows keep no heads.
    public var keepsRowHeads: Bool { false }

    /// ``record(_:in:)``.
    public func record(_ change: ContactChange, rowHead: Int64?, in db: Database) throws -> Int64 {
        try record(change, in: db)
    }

    /// None: the store reads the row before recording.
    public func reservedRecordId(in db: Database) throws -> Int64? { nil }
}

extension ContactStore {
    /// What `request` would do, worked out on a reader without writing anything.
    ///
    /// - Throws: what the write would throw (`CONTACT_NOT_FOUND`, `CONTACT_ALREADY_CHANGED`, ...).
    public func dryRun(_ request: ChangeRequest) async throws -> ContactChange {
        try await read { db in try self.plan(request, in: db, fromCache: false) }
    }

    /// Makes the change `request` asks for and records it in `journal`, in one transaction;
    /// returns the change and the journal's id for it once both are durable.
    ///
    /// The change is planned outside the writer (in memory when this process holds the contact at
    /// the requested revision, else on a reader, concurrently with other requests). In the group
    /// commit it is applied only if it still holds — the contact is still at the revision it was
    /// planned on and no duplicate appeared — else planned again there, from what is stored.
    public func commit(_ request: ChangeRequest, journal: some ChangeJournal) async throws
        -> (change: ContactChange, recordId: Int64)
    {
        let planned: ContactChange
        if let inMemory = try planInMemory(request) {
            planned = inMemory
        } else {
            planned = try await read(planning(request))
        }
        let keepsRowHeads = journal.keepsRowHeads
        return try await write(
            auditedChange: applying(planned, of: request, journal: journal),
            journalHead: { keepsRowHeads ? $0.recordId : nil })
    }

    /// What plans `request` on a reader. The closures are made in functions of their own (not
    /// inlined): the copies of the request they capture then live in those functions' frames,
    /// not in ``commit(_:journal:)``'s, which the task allocates for every write (a frame over a
    /// kilobyte takes a `malloc` of its own).
    @inline(never)
    private func planning(_ request: ChangeRequest) -> @Sendable (Database) throws -> ContactChange {
        { db in try self.plan(request, in: db, fromCache: true) }
    }

    /// What applies `planned` in the group commit: it is applied only if it still holds — the
    /// contact is still at the revision it was planned on and no duplicate appeared — else
    /// `request` is planned again there, from what is stored.
    @inline(never)
    private func applying(_ planned: ContactChange, of request: ChangeRequest, journal: some ChangeJournal)
        -> @Sendable (Database) throws -> ((change: ContactChange, recordId: Int64), ContactChange)
    {
        let keepsRowHeads = journal.keepsRowHeads
        return { db in
            if let recordId = try self.applyUnread(planned, of: request, journal: journal, in: db) {
                return ((planned, recordId), planned)
            }
            var change = planned
            let row = try self.plannedRow(planned, in: db)
            if !row.holds {
                change = try self.plan(request, in: db, fromCache: false)
            }
            // The record first, then the row: the record may leave the contact's new JSON in the
            // row, and the row's triggers then know it is the record's (`ContactRowAfters`).
            let recordId =
                keepsRowHeads
                ? try journal.record(change, rowHead: row.holds ? row.head : nil, in: db)
                : try journal.record(change, in: db)
            try self.applyPlanned(
                change, in: db, patch: request.patch, allowDuplicates: request.allowDuplicates,
                journalHead: keepsRowHeads ? recordId : nil)
            return ((change, recordId), change)
        }
    }

    /// Applies and records `planned` without reading its row first, when the plan knows the
    /// row's journal head and `journal` can say the record's id before recording
    /// (``ChangeJournal/reservedRecordId(in:)``): the row's `UPDATE` checks that the row is
    /// still at the planned revision and head as it writes it. Returns the record's id; `nil`,
    /// having written nothing, when it cannot, or the row is no longer as planned.
    private func applyUnread(
        _ planned: ContactChange, of request: ChangeRequest, journal: some ChangeJournal, in db: Database
    ) throws -> Int64? {
        guard journal.keepsRowHeads, let head = planned.beforeJournalHead,
            let reserved = try journal.reservedRecordId(in: db),
            try applyIfUnchanged(planned, head: head, journalHead: reserved, in: db)
        else { return nil }
        let recordId = try journal.record(planned, rowHead: head, in: db)
        guard recordId == reserved else {
            // Thrown, the whole batch is rolled back and run again write by write, without
            // reserved ids.
            throw ContactsError(
                .internalError, message: "The journal recorded a change under another id than the one it reserved.")
        }
        try checkNoDuplicateAppeared(
            planned, patch: request.patch, allowDuplicates: request.allowDuplicates, in: db)
        return recordId
    }

    @inline(never)  // Its copies of the patch stay out of the async caller's frame (see `planning`).
    private func planInMemory(_ request: ChangeRequest) throws -> ContactChange? {
        switch request {
        case .create: return nil
        case .update(let id, let patch, let revision, let allowDuplicates):
            return try planUpdateInMemory(id: id, patch: patch, revision: revision, allowDuplicates: allowDuplicates)
        case .restore(let id, let patch, let revision):
            return try planUpdateInMemory(
                id: id, patch: patch, revision: revision, allowDuplicates: false, restoringItemIDs: true)
        case .relabel: return nil  // label keys are checked in the database
        }
    }

    private func plan(_ request: ChangeRequest, in db: Database, fromCache: Bool) throws -> ContactChange {
        switch request {
        case .create(let patch, let allowDuplicates, let member):
            return try planCreate(db, patch: patch, allowDuplicates: allowDuplicates, member: member)
        case .update(let id, let patch, let revision, let allowDuplicates):
            return try planUpdate(
                db, id: id, patch: patch, revision: revision, allowDuplicates: allowDuplicates, fromCache: fromCache)
        case .restore(let id, let patch, let revision):
            return try planUpdate(
                db, id: id, patch: patch, revision: revision, allowDuplicates: false, fromCache: fromCache,
                restoringItemIDs: true)
        case .relabel(let id, let adding, let removing):
            return try planRelabel(db, id: id, adding: adding, removing: removing)
        }
    }
}
