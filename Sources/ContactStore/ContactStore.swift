import CompactJSON
import FastSQLite
public import SharedDatabase
import Foundation
public import GRDB
public import JSONCore
public import WixContacts

/// The embedded contact store: a real SQLite file (WAL) that behaves like Wix Contacts v4.
///
/// Reads hand out each contact's stored JSON without decoding it. Writes are split in two so a
/// caller can join them: ``planUpdate(_:id:patch:revision:allowDuplicates:)`` works out the new
/// contact (or the error) without writing, and ``apply(_:in:)`` writes it, inside whatever
/// transaction the caller holds — the audit log commits in that same transaction.
///
/// ```swift
/// let store = try ContactStore(path: "/tmp/contacts.sqlite")
/// let created = try await store.create(patch: ContactInfoPatch(json: ["name": ["first": "Ada"]]))
/// let updated = try await store.update(
///     id: created.after.id, patch: ContactInfoPatch(json: ["company": "Wix"]), revision: 1)
/// ```
public final class ContactStore: Sendable {
    /// The database; other modules (the audit log) add their own tables to it.
    public let database: DatabasePool
    /// The configuration the store was opened with.
    public let configuration: StoreConfiguration
    let committer: GroupCommitter
    let decodedContacts: DecodedContactCache
    let inlineReaders: InlineReaders
    let checkpointer: BackgroundCheckpointer
    /// Where recent pages of the default order ended (`contacts.query` deep offsets).
    let pageAnchors = PageAnchors()

    /// Opens (creating if needed) the store at `path` and migrates it, then `otherSchemas` (the
    /// tables other modules keep in the file, such as the audit log's). Other processes may be
    /// opening, migrating or writing the same file at the same moment: their locks are waited
    /// out for up to the configuration's busy timeout.
    ///
    /// The migrations commit before the writer starts syncing every commit, so they cost no sync
    /// of their own (a new file created by them made two; the local backend's new files come
    /// from a template and need none). They stay atomic: a log commit that a power cut cuts
    /// short is dropped whole when the log is next read, and the file is then migrated again.
    /// The first durable commit's sync, or a checkpoint's, makes them durable with it: they are
    /// earlier frames of the same log.
    public init(
        path: String, configuration: StoreConfiguration = StoreConfiguration(),
        migratingAlso otherSchemas: [SchemaMigrator] = []
    ) throws {
        // Before the VFS registration below initialises SQLite.
        SQLiteProcess.configure()
        var config = Configuration()
        config.busyMode = .timeout(configuration.busyTimeout)
        config.maximumReaderCount = configuration.maximumReaders
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA temp_store = MEMORY") }
        database = try SharedPool.open(
            path: path, openingPath: WALBuffering.openingPath(for: path, durableCommits: configuration.durableCommits),
            configuration: config, timeout: configuration.busyTimeout)
        // Migrated while the writer is still at `synchronous = NORMAL` (see above).
        try StoreSchema.migrate(database, timeout: configuration.busyTimeout)
        for schema in otherSchemas { try schema.migrate(database, timeout: configuration.busyTimeout) }
        // Only the writer commits, so its setting is the one that counts. It is set here, after
        // the pool is open: a pool switches its writer to `synchronous = NORMAL` when it sets up
        // WAL mode, after `prepareDatabase` has run. Log writes are buffered only from then on.
        let durable = configuration.durableCommits
        try database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = \(durable ? "FULL" : "NORMAL")")
            if durable { WALBuffering.enable(db) }
        }
        self.configuration = configuration
        let decodedContacts = DecodedContactCache(epoch: try CommitEpoch(databasePath: path))
        self.decodedContacts = decodedContacts
        let checkpointer = BackgroundCheckpointer(
            path: path, busyTimeout: configuration.busyTimeout, thresholdPages: configuration.checkpointPages)
        self.checkpointer = checkpointer
        committer = GroupCommitter(
            writer: database, deferSyncs: durable, sync: configuration.logSync, checkpointer: checkpointer
        ) {
            decodedContacts.noteCommit()
        }
        try database.writeWithoutTransaction { [checkpointer] db in checkpointer.install(on: db) }
        inlineReaders = InlineReaders(path: path, limit: 8, busyTimeout: configuration.busyTimeout)
    }

    /// What the store's one writer has done since the store opened (``WriterActivity``).
    public var writerActivity: WriterActivity {
        var activity = committer.activity
        (activity.checkpoints, activity.checkpointSeconds) = checkpointer.writerStalls
        return activity
    }

    /// Runs `body` in the next group-commit transaction, isolated from the other writes in it
    /// (a failure rolls back only its own changes); returns after it is durable.
    ///
    /// Writes that arrive together share one transaction and one fsync.
    public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await committer.write(body).0
    }

    /// ``write(_:)`` for a contact change: `body` returns its result and the change it applied,
    /// and once the transaction has committed the change is remembered, so the next update of
    /// that contact is planned, and its next `contacts.get` answered, without reading it.
    public func write<T: Sendable>(change body: @escaping @Sendable (Database) throws -> (T, ContactChange))
        async throws -> T
    {
        try await write(body, recordedInAudit: false)
    }

    /// ``write(change:)`` for a body that also records the change in the audit log, in the same
    /// transaction, with the change's `snapshot` as the entry's `after`. The next change planned
    /// from the remembered state then knows its `before` is that entry's `after`
    /// (``ContactChange/beforeIsAudited``), so its own entry can leave `before` out without
    /// comparing.
    public func write<T: Sendable>(auditedChange body: @escaping @Sendable (Database) throws -> (T, ContactChange))
        async throws -> T
    {
        try await write(body, recordedInAudit: true)
    }

    /// ``write(auditedChange:)`` for a body whose journal also kept its record's id in the row
    /// (``ChangeJournal/keepsRowHeads``): `journalHead` tells it from the body's result, and the
    /// contact is remembered with it, so its next change can check the row without reading it.
    func write<T: Sendable>(
        auditedChange body: @escaping @Sendable (Database) throws -> (T, ContactChange),
        journalHead: (T) -> Int64?
    ) async throws -> T {
        try await write(body, recordedInAudit: true, journalHead: journalHead)
    }

    private func write<T: Sendable>(
        _ body: @escaping @Sendable (Database) throws -> (T, ContactChange), recordedInAudit: Bool,
        journalHead: (T) -> Int64? = { _ in nil }
    ) async throws -> T {
        var checked = body
        if !recordedInAudit {
            checked = { db in
                try ContactStore.requireTriggers(forUnrecordedChangeIn: db)
                return try body(db)
            }
        }
        let ((value, change), stamp) = try await committer.write(checked)
        remember(change, committedAt: stamp, recordedInAudit: recordedInAudit, journalHead: journalHead(value))
        return value
    }

    /// Remembers a committed change's contact. Not inlined: its copies of the contact stay in
    /// this function's frame, not in the async caller's, which the task allocates for every
    /// write (a frame over a kilobyte takes a `malloc` of its own).
    @inline(never)
    private func remember(
        _ change: ContactChange, committedAt stamp: UInt64, recordedInAudit: Bool, journalHead: Int64?
    ) {
        decodedContacts.remember(
            change.afterContact, snapshot: change.snapshot, stored: change.storedJSON, isMember: change.isMember,
            committedAt: stamp, recordedInAudit: recordedInAudit, journalHead: journalHead)
    }

    /// Now, as the store stamps it.
    public func now() -> String {
        Timestamp.rfc3339(millisecondsSince1970: configuration.clock())
    }

    // MARK: - Reads

    /// The stored JSON of one contact.
    ///
    /// - Throws: `CONTACT_NOT_FOUND`.
    public func snapshot(id: String) async throws -> ContactSnapshot {
        if let current = decodedContacts.currentSnapshot(id) { return current }
        return try await read { db in try Self.snapshot(db, id: id) }
    }

    /// The stored JSON of one contact, read on this thread when a connection is free; `nil`
    /// when none is, or when what it read may not be durable yet (the caller then uses
    /// ``snapshot(id:)`` and waits for ``waitUntilVisibleChangesAreDurable()``). Never blocks.
    ///
    /// - Throws: `CONTACT_NOT_FOUND`.
    public func snapshotImmediately(id: String) throws -> ContactSnapshot? {
        if let current = decodedContacts.currentSnapshot(id) { return current }
        // Remembered contacts were answered as written, so are durable. A read may see a commit
        // whose log sync is still running (a change, a deletion): it is then left to the
        // caller's waiting path, which answers once that is durable.
        let snapshot: ContactSnapshot?
        do {
            snapshot = try inlineReaders.read { db in try Self.snapshot(db, id: id) }
        } catch {
            guard visibleChangesAreDurable else { return nil }
            throw error
        }
        guard snapshot == nil || visibleChangesAreDurable else { return nil }
        return snapshot
    }

    /// A short read: on a borrowed connection on this thread when one is free (no queue hop),
    /// else through GRDB's async read. Never blocks waiting for a connection.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        if let value = try inlineReaders.read(body) { return value }
        return try await database.read(body)
    }

    /// The stored JSON of one contact, inside a database access the caller holds.
    public static func snapshot(_ db: Database, id: String) throws -> ContactSnapshot {
        let statement = try db.cachedStatement(sql: "SELECT revision, json FROM contact WHERE id = ?")
        guard let (revision, json) = try statement.fetchFirst(.text(id), body: { ($0.int(0), $0.bytes(1)) }) else {
            // A contact merged away answers with its target, as Wix's Get Contact does.
            if let target = try mergeTarget(db, of: id), target != id { return try snapshot(db, id: target) }
            throw ContactsError.contactNotFound(id)
        }
        return try storedSnapshot(id: id, revision: revision, json: json)
    }

    /// A snapshot of a `contact` row's `json` column, unpacked (``CompactJSON``).
    ///
    /// - Throws: `INTERNAL_ERROR` when the stored value is damaged.
    static func storedSnapshot(id: String, revision: Int, json stored: [UInt8]) throws -> ContactSnapshot {
        do {
            return ContactSnapshot(id: id, revision: revision, json: RawJSON(trusted: try CompactJSON.unpack(stored)))
        } catch {
            throw ContactsError(.internalError, message: "The stored contact \(id) is damaged.")
        }
    }

    /// The decoded contact, whether it is a site member, and its stored JSON.
    ///
    /// Decoded contacts are cached by revision: a revision names exactly one state of a contact,
    /// so a cached entry is valid whenever the stored revision still matches — even with several
    /// processes writing the same file.
    public static func load(_ db: Database, id: String) throws -> (
        contact: Contact, isMember: Bool, snapshot: ContactSnapshot
    ) {
        let loaded = try load(db, id: id, cache: nil)
        return (loaded.contact, loaded.isMember, loaded.snapshot)
    }

    /// ``load(_:id:)``, with the JSON as the row holds it (`stored`; `nil` when the cache answered
    /// without it).
    static func load(_ db: Database, id: String, cache: DecodedContactCache?) throws
        -> (contact: Contact, isMember: Bool, snapshot: ContactSnapshot, stored: [UInt8]?)
    {
        if let cache {
            let statement = try db.cachedStatement(sql: "SELECT revision, is_member FROM contact WHERE id = ?")
            guard let (revision, isMember) = try statement.fetchFirst(.text(id), body: { ($0.int(0), $0.int(1) != 0) })
            else {
                throw ContactsError.contactNotFound(id)
            }
            if let cached = cache.contact(id, revision: revision) {
                return (cached.contact, isMember, cached.snapshot, cached.stored)
            }
        }
        let statement = try db.cachedStatement(sql: "SELECT revision, json, is_member FROM contact WHERE id = ?")
        guard
            let (revision, json, isMember) = try statement.fetchFirst(
                .text(id), body: { ($0.int(0), $0.bytes(1), $0.int(2) != 0) })
        else { throw ContactsError.contactNotFound(id) }
        let snapshot = try storedSnapshot(id: id, revision: revision, json: json)
        let contact = try snapshot.contact()
        // Not what the writer reads inside a transaction: in the group commit a read may see a
        // write of the same batch that is then rolled back and redone differently.
        if db.configuration.readonly || !db.isInsideTransaction {
            cache?.remember(contact, snapshot: snapshot, stored: json, isMember: isMember)
        }
        return (contact, isMember, snapshot, json)
    }

    /// How many contacts the store holds.
    public func count() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contact") ?? 0 }
    }
}

/// The lists of a contact that the item tables index (`StoreSchema.itemTables`).
struct ItemLists: OptionSet, Sendable {
    let rawValue: UInt8
    static let emails = ItemLists(rawValue: 1)
    static let phones = ItemLists(rawValue: 2)
    static let labels = ItemLists(rawValue: 4)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The lists that differ between `before` (`nil`: none, a create) and `after`, compared
    /// where they are.
    init(from before: DecodedContact?, to after: DecodedContact) {
        self = []
        if let before {
            if before.contact.info.emails != after.contact.info.emails { insert(.emails) }
            if before.contact.info.phones != after.contact.info.phones { insert(.phones) }
            if before.contact.info.labelKeys != after.contact.info.labelKeys { insert(.labels) }
        } else {
            if after.contact.info.emails != nil { insert(.emails) }
            if after.contact.info.phones != nil { insert(.phones) }
            if after.contact.info.labelKeys != nil { insert(.labels) }
        }
    }
}

/// The outcome of a planned create or update: the contact before (nil for a create) and after.
///
/// A class: a change passes through several hands (planning, the group commit, the cache, the
/// caller), and copying two decoded contacts at each would cost more than the change itself.
public final class ContactChange: Sendable {
    /// The contact before the change; `nil` for a create. A copy: inside the store, its fields
    /// are read in place through ``beforeContact``.
    public var before: Contact? { beforeContact?.contact }
    /// `before`, shared with whoever else holds it (the cache entry it was planned from).
    let beforeContact: DecodedContact?
    /// `before` as stored, without encoding it again.
    public let beforeSnapshot: ContactSnapshot?
    /// The contact after the change. The store reads it in place; another module that needs
    /// only its id reads ``snapshot``'s, which never copies the contact.
    public var after: Contact {
        _read { yield afterContact.contact }
    }
    /// `after`, shared with ``snapshot`` and, once committed, with the cache entry.
    let afterContact: DecodedContact
    /// `after`, encoded once.
    public let snapshot: ContactSnapshot
    /// `snapshot`'s JSON as the `contact` row keeps it (``CompactJSON/pack(_:)``): packed here,
    /// where the change is planned, not on the one writer that stores it.
    let storedJSON: [UInt8]
    /// `after`'s updated date as the `contact` row keeps it (milliseconds), read from its text
    /// here rather than on the writer.
    let storedUpdatedDate: Int64
    /// Which of the lists the item tables index differ between `before` and `after`: compared
    /// here rather than on the writer, which rewrites only those tables' rows.
    let changedItemLists: ItemLists
    /// `before`'s revision (`nil` for a create): what the writer checks the row against.
    let beforeRevision: Int?
    /// The id of the journal record the contact's row kept at `before` (its `journal_head`),
    /// when the planner knew it: then the writer checks the row against it and `beforeRevision`
    /// in the row's own `UPDATE`, without reading the row first
    /// (``ChangeJournal/reservedRecordId(in:)``).
    let beforeJournalHead: Int64?
    /// `beforeSnapshot`'s JSON as the `contact` row holds it (packed), when the planner had it:
    /// the change's audit entry stores these bytes as its `before`, unpacked when read.
    public let beforeStoredJSON: [UInt8]?
    /// Top-level `info` fields whose writable value changed.
    public let changedFields: [String]
    /// Whether the contact is a site member.
    public let isMember: Bool
    /// Whether `beforeSnapshot` was planned from a state this process committed together with
    /// its audit entry, whose `after` is those very bytes. While the stored revision is still
    /// `before`'s, that entry is the contact's latest (every audited change moves the revision),
    /// so a change applied through ``ContactStore/commit(_:journal:)``
    /// may rely on it.
    public let beforeIsAudited: Bool

    /// A change from `before` (nil for a create) to `after`; `beforeJournalHead` is the id of
    /// the journal record `before`'s row kept as its head, when the planner knew it.
    public convenience init(
        before: Contact?, beforeSnapshot: ContactSnapshot?, after: Contact, snapshot: ContactSnapshot,
        changedFields: [String], isMember: Bool, beforeIsAudited: Bool = false, beforeStoredJSON: [UInt8]? = nil,
        beforeJournalHead: Int64? = nil
    ) {
        self.init(
            before: before.map(DecodedContact.init), beforeSnapshot: beforeSnapshot, after: DecodedContact(after),
            snapshot: snapshot, changedFields: changedFields, isMember: isMember, beforeIsAudited: beforeIsAudited,
            beforeStoredJSON: beforeStoredJSON, beforeJournalHead: beforeJournalHead)
    }

    /// A change between contacts held where they are: planning shares `before` with the cache
    /// entry it came from and `after` with `snapshot` (made from it), instead of copying each
    /// (every copy of a contact retains each of its strings and lists, and releases them again).
    init(
        before: DecodedContact?, beforeSnapshot: ContactSnapshot?, after: DecodedContact, snapshot: ContactSnapshot,
        changedFields: [String], isMember: Bool, beforeIsAudited: Bool = false, beforeStoredJSON: [UInt8]? = nil,
        beforeJournalHead: Int64? = nil
    ) {
        storedJSON = CompactJSON.pack(snapshot.json.bytes)
        storedUpdatedDate = StoreSchema.storedDate(after.contact.updatedDate)
        changedItemLists = ItemLists(from: before, to: after)
        beforeRevision = before?.contact.revision
        self.beforeJournalHead = beforeRevision == nil ? nil : beforeJournalHead
        self.beforeStoredJSON = beforeSnapshot == nil ? nil : beforeStoredJSON
        beforeContact = before
        self.beforeSnapshot = beforeSnapshot
        afterContact = after
        self.snapshot = snapshot
        self.changedFields = changedFields
        self.isMember = isMember
        self.beforeIsAudited = beforeIsAudited
    }
}
