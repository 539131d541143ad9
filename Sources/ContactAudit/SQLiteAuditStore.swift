import FastSQLite
public import SharedDatabase
public import Foundation
public import GRDB
public import JSONCore
public import WixContacts

/// The SQLite audit log of every change (SPEC §6): the ``AuditStore`` of a gateway on one
/// machine, in the embedded store's own file (local backend) or a file of its own (wix backend).
///
/// With the embedded store, entries are appended inside the transaction that writes their
/// change, through the store's `ChangeJournal` hook (``journal(_:)``), so a contact write and its
/// entry commit together or not at all:
///
/// ```swift
/// let audit = try SQLiteAuditStore(database: store.database, clock: clock)
/// let (change, auditId) = try await store.commit(
///     .update(id: id, patch: patch, revision: 3, allowDuplicates: false),
///     journal: audit.journal(AuditJournal.Entry(operation: .update, actor: "ada", requestId: "7")))
/// ```
public struct SQLiteAuditStore: AuditStore {
    /// The database holding the `audit_entry` table.
    public let database: any DatabaseWriter
    /// Milliseconds since 1970, for entry timestamps.
    public let clock: @Sendable () -> Int64
    /// The keys of the runs this log's entries name.
    let runKeys = RunKeyCache()

    /// The log's tables and their migrations, for a store that migrates them with its own
    /// (``ContactStore/ContactStore/init(path:configuration:migratingAlso:)``).
    public static var schema: SchemaMigrator { AuditSchema.migrator }

    /// Opens the log in `database`, creating or migrating its tables if needed; waits up to
    /// `busyTimeout` seconds for another process that holds the file's lock.
    public init(database: any DatabaseWriter, clock: @escaping @Sendable () -> Int64, busyTimeout: TimeInterval = 10)
        throws
    {
        self.database = database
        self.clock = clock
        try AuditSchema.migrate(database, timeout: busyTimeout)
        try ContactRowAfters.installIfNeeded(database)
    }

    // MARK: - Writing

    /// Appends an entry inside the caller's transaction and returns its id.
    ///
    /// A `before` equal to the `after` of the contact's latest entry (the usual case: nothing
    /// changed the contact in between) is not stored again: its column is left `NULL` and
    /// ``AuditEntry/resolveSnapshots(_:in:)`` reads it from that entry. Entries then take about half the space,
    /// and a write about a page less. The comparison is made here, on the stored bytes, so no
    /// caller can get it wrong; the rows before an entry never change in a way that matters (an
    /// intent, which could still settle, has no `after` yet, so nothing is left out after one).
    /// Only a caller that knows the two are the same bytes
    /// (``AuditRecord/beforeIsLatestAfter``) skips the comparison, and with it a read of the
    /// previous entry.
    ///
    /// An `after` that the embedded store's contact row holds (``AuditRecord/afterIsContactRow``)
    /// is not stored either: the row keeps it, and the contact's next entry stores it as its
    /// `before` (``ContactRowAfters``). A contact and its entries then hold each JSON once. The
    /// hash covers the `after` all the same. A stored `before` is the row's packed bytes when the
    /// caller has them (``AuditRecord/storedBefore``); the hash covers the JSON. The changed
    /// fields, timestamp and run are stored compactly (``CompactEntryColumns``); the hash covers
    /// them as recorded.
    public static func append(_ db: Database, _ record: AuditRecord, clock: () -> Int64) throws -> Int64 {
        try append(db, record, clock: clock, runKeys: nil)
    }

    /// ``append(_:_:clock:)``, with the run keys already looked up kept in `runKeys`.
    static func append(_ db: Database, _ record: AuditRecord, clock: () -> Int64, runKeys: RunKeyCache?) throws
        -> Int64
    {
        let millis = clock()
        let changed = CompactEntryColumns.recordedChangedFields(record.changedFields)
        var before = record.before?.json.bytes
        let previous = try record.rowHead ?? AuditHeads.latest(of: record.contactId, in: db)
        if record.beforeIsLatestAfter {
            // The latest entry's `after`, stored there, unless that entry left it in the row (as
            // this one leaves its own): then this `before` is its one copy.
            if !record.afterIsContactRow { before = nil }
        } else if let bytes = before, let previous {
            try PendingAuditEntries.insert(db)
            let latestAfter =
                try db.cachedStatement(sql: "SELECT after_json FROM audit_entry WHERE audit_id = ?")
                .fetchFirst(.int(previous)) { $0.optionalBytes(0).map(StoredSnapshot.bytes) } ?? nil
            if latestAfter == bytes { before = nil }
        }
        let after = record.after?.json.bytes
        let auditId = try nextAuditId(db)
        let head = try AuditChain.head(db)
        var fields = AuditChain.CanonicalFields(seq: head.seq + 1)
        fields.append(int: Int(auditId))
        fields.append(text: record.contactId)
        fields.append(text: record.operation.rawValue)
        fields.append(int: record.before?.revision)
        fields.append(int: record.after?.revision)
        fields.append(text: changed.json)
        fields.append(timestampMillis: millis)
        fields.append(text: record.actor)
        fields.append(text: record.requestId)
        fields.append(int: record.undoOf.map(Int.init))
        fields.append(text: record.links.groupId)
        fields.append(text: record.links.mergedFromText)
        fields.append(text: record.links.mergedInto)
        fields.append(text: record.links.restoredAs)
        fields.append(text: record.links.runId)
        let hash = AuditChain.digest(previous: head.hash, fields: fields, before: before ?? [], after: after ?? [])
        let storedAfter = record.afterIsContactRow ? nil : after
        // The row's packed bytes of `before`, when the caller had them (the hash covers `before`).
        let storedBefore = before == nil ? nil : record.storedBefore ?? before
        let runId = record.links.runId
        let runKey = try runKeys.map { try $0.key(db, runId: runId) } ?? CompactEntryColumns.runKey(db, runId: runId)
        try PendingAuditEntries.append(
            db,
            [
                .int(Int(auditId)), .text(record.contactId), .text(record.operation.rawValue),
                .int(record.before?.revision),
                .int(record.after?.revision), storedBefore.map { .blob($0) } ?? .null,
                storedAfter.map { .blob($0) } ?? .null,
                .text(changed.stored),
                .text(CompactEntryColumns.storedTimestamp), .int(Int(millis)), .text(record.actor),
                .text(record.requestId), .int(record.undoOf.map(Int.init)), .text(record.links.groupId),
                .text(record.links.mergedFromText), .text(record.links.mergedInto), .text(record.links.restoredAs),
                .text(runKey == nil ? runId : nil), .int(runKey), .int(Int(head.seq + 1)), .blob(hash),
                .int(previous.map(Int.init)),
            ])
        if !record.headKeptByCaller { try AuditHeads.advance(record.contactId, to: auditId, in: db) }
        try AuditChain.advance(db, to: head.seq + 1, hash: hash)
        if let undone = record.undoOf {
            try PendingAuditEntries.insert(db)
            try db.cachedStatement(sql: "UPDATE audit_entry SET undone_by = ? WHERE audit_id = ?")
                .run(.int(Int(auditId)), .int(Int(undone)))
        }
        return auditId
    }

    /// The id of the entry about to be inserted, known before the insert so the entry's hash is
    /// written with it: AUTOINCREMENT's counter plus one. Inside a group commit's transaction
    /// the counter is read once and counted on in its ``TransactionMemo``: every entry of the
    /// batch is inserted with its id (before the commit, ``PendingAuditEntries``), which moves the
    /// counter past it.
    private static func nextAuditId(_ db: Database) throws -> Int64 {
        let memo = TransactionMemo.current(db)
        let next = try memo?.value(NextAuditId.self)?.value ?? nextAuditIdStored(db)
        // Nothing to write before the commit: each insert moves the counter itself (the batch's
        // entries are inserted before it commits, `PendingAuditEntries`).
        memo?.keep(NextAuditId(value: next + 1)) { _, _ in }
        return next
    }

    /// The id the next entry appended in `db`'s transaction will get (``nextAuditId(_:)``), kept
    /// for it: inside a group commit's memo, on a connection that runs no triggers, where only
    /// ``append(_:_:clock:runKeys:)`` inserts entries. `nil` elsewhere.
    static func reservedAuditId(_ db: Database) throws -> Int64? {
        guard let memo = TransactionMemo.current(db), !ConnectionTriggers.areRunning(on: db) else { return nil }
        if let next = memo.value(NextAuditId.self)?.value { return next }
        let next = try nextAuditIdStored(db)
        memo.keep(NextAuditId(value: next)) { _, _ in }
        return next
    }

    /// AUTOINCREMENT's counter plus one.
    private static func nextAuditIdStored(_ db: Database) throws -> Int64 {
        let counter = try db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit_entry'")
            .fetchFirst { Int64($0.int(0)) }
        return (counter ?? 0) + 1
    }

    /// What a group commit's memo keeps for ``nextAuditId(_:)``.
    private struct NextAuditId {
        let value: Int64
    }

    // MARK: - Reading

    public func entry(id: Int64) async throws -> AuditEntry {
        try await database.read { db in try Self.entry(db, id: id) }
    }

    /// One entry, inside a database access the caller holds.
    public static func entry(_ db: Database, id: Int64) throws -> AuditEntry {
        let statement = try db.cachedStatement(
            sql: "SELECT \(AuditEntry.columns) FROM audit_entry WHERE audit_id = ? AND state = 'settled'")
        guard var entry = try statement.fetchFirst(.int(id), body: AuditEntry.init(row:)) else {
            throw ContactsError(.auditEntryNotFound, details: ["auditId": .int(Int(id))])
        }
        try AuditEntry.resolveSnapshots(&entry, in: db)
        return entry
    }

    public func latestUndoable(contactId: String) async throws -> AuditEntry? {
        try await database.read { db in try Self.latestUndoable(db, contactId: contactId) }
    }

    /// ``latestUndoable(contactId:)`` inside a database access the caller holds.
    public static func latestUndoable(_ db: Database, contactId: String) throws -> AuditEntry? {
        guard
            var entry = try AuditHeads.page(
                of: contactId, matching: "operation <> 'undo' AND undone_by IS NULL", [], from: nil, descending: true,
                count: 1, in: db
            ).first
        else { return nil }
        try AuditEntry.resolveSnapshots(&entry, in: db)
        return entry
    }

    /// Call it only off the cooperative thread pool (the JSON-RPC reader thread), since it may
    /// wait for a connection.
    public func contactId(ofEntry id: Int64) -> String? {
        try? database.read { db in
            try String.fetchOne(db, sql: "SELECT contact_id FROM audit_entry WHERE audit_id = ?", arguments: [id])
        }
    }

    public func group(_ groupId: String) async throws -> [AuditEntry] {
        try await settledEntries(where: "group_id = ?", [.text(groupId)])
    }

    /// Every settled entry matching `condition` (its `?`s bound to `arguments`), oldest first.
    func settledEntries(where condition: String, _ arguments: [SQLArgument]) async throws -> [AuditEntry] {
        try await database.read { db in
            var entries = try db.cachedStatement(
                sql: """
                    SELECT \(AuditEntry.columns) FROM audit_entry WHERE \(condition) AND state = 'settled' ORDER BY audit_id
                    """
            ).fetchAll(arguments: arguments, body: AuditEntry.init(row:))
            try AuditEntry.resolveSnapshots(&entries, in: db)
            return entries
        }
    }

    public func count() async throws -> Int {
        // COUNT(*) over the whole table uses the smallest index; the unsettled few come from a
        // partial index.
        try await database.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT (SELECT COUNT(*) FROM audit_entry) - (SELECT COUNT(*) FROM audit_entry WHERE state <> 'settled')
                    """) ?? 0
        }
    }
}

extension AuditEntry {
    /// The columns ``init(row:)`` reads, in order. `before_json` and `after_json` are as stored:
    /// `NULL` where ``SQLiteAuditStore/append(_:_:clock:)`` left them out, so every reader passes
    /// what it read through ``resolveSnapshots(_:in:)``.
    static let columns = """
        audit_id, contact_id, operation, revision_before, revision_after, before_json, after_json, changed_fields, \
        timestamp, actor, request_id, undo_of, undone_by, group_id, merged_from, merged_into, restored_as, \
        \(CompactEntryColumns.runIdColumn), timestamp_ms
        """

    /// Fills in the snapshots ``SQLiteAuditStore/append(_:_:clock:)`` left out of `entries`.
    ///
    /// - A left-out `after` is in the contact's row (``ContactRowAfters``).
    /// - A left-out `before` is the `after` of the contact's previous entry, which is the one
    ///   whose `revisionAfter` is this entry's `revisionBefore` (a contact's revisions only
    ///   rise). Taken from the page itself when that entry is on it (a contact's history usually
    ///   is), else read.
    static func resolveSnapshots(_ entries: inout [AuditEntry], in db: Database) throws {
        try ContactRowAfters.resolve(&entries, in: db)
        try fill(&entries, missing: \.before, at: \.revisionBefore, from: \.after, at: \.revisionAfter) {
            try resolveBefore(&$0, in: db)
        }
    }

    /// Fills in each entry's missing snapshot (`missing`, at revision `missingRevision`; a
    /// snapshot without a revision is a create's `before` or a deletion's `after`, absent for good)
    /// with the one another entry of `entries` holds for the same contact at that revision
    /// (`present` at `presentRevision`), or, when none does, with `read`.
    ///
    /// Always inlined, so that each caller's literal key paths become plain field accesses: through
    /// the key-path runtime they were about 5 % of a history page's time.
    @inline(__always)
    static func fill(
        _ entries: inout [AuditEntry], missing: WritableKeyPath<AuditEntry, RawJSON?>,
        at missingRevision: KeyPath<AuditEntry, Int?>,
        from present: KeyPath<AuditEntry, RawJSON?>, at presentRevision: KeyPath<AuditEntry, Int?>,
        orElse read: (inout AuditEntry) throws -> Void
    ) rethrows {
        struct State: Hashable {
            let contactId: String
            let revision: Int
        }
        var held: [State: RawJSON] = [:]
        for entry in entries {
            if let snapshot = entry[keyPath: present], let revision = entry[keyPath: presentRevision] {
                held[State(contactId: entry.contactId, revision: revision)] = snapshot
            }
        }
        for index in entries.indices {
            guard entries[index][keyPath: missing] == nil, let revision = entries[index][keyPath: missingRevision]
            else { continue }
            if let snapshot = held[State(contactId: entries[index].contactId, revision: revision)] {
                entries[index][keyPath: missing] = snapshot
            } else {
                try read(&entries[index])
            }
        }
    }

    /// ``resolveSnapshots(_:in:)`` for one entry.
    static func resolveSnapshots(_ entry: inout AuditEntry, in db: Database) throws {
        try ContactRowAfters.resolve(&entry, in: db)
        try resolveBefore(&entry, in: db)
    }

    /// Reads the `before` left out of `entry` from its contact's previous entry.
    private static func resolveBefore(_ entry: inout AuditEntry, in db: Database) throws {
        guard entry.before == nil, entry.revisionBefore != nil else { return }  // stored, or a create
        entry.before =
            try db.cachedStatement(
                sql: """
                    SELECT after_json FROM audit_entry
                    WHERE audit_id = (SELECT previous_id FROM audit_entry WHERE audit_id = ?)
                    """
            ).fetchFirst(.int(entry.auditId)) { $0.optionalBytes(0).map(StoredSnapshot.json) } ?? nil
    }

    /// Reads a row of ``columns`` through the fast path.
    init(row: FastRow) {
        let fields = CompactEntryColumns.changedFields(stored: row.text(7) ?? "")
        self.init(
            auditId: Int64(row.int(0)), contactId: row.text(1) ?? "",
            operation: AuditOperation(rawValue: row.text(2) ?? ""), revisionBefore: row.optionalInt(3),
            revisionAfter: row.optionalInt(4), before: row.optionalBytes(5).map(StoredSnapshot.json),
            after: row.optionalBytes(6).map(StoredSnapshot.json), changedFields: fields,
            timestamp: CompactEntryColumns.timestamp(stored: row.text(8) ?? "", millis: Int64(row.int(18))),
            actor: row.text(9), requestId: row.text(10),
            undoOf: row.optionalInt(11).map(Int64.init), undoneBy: row.optionalInt(12).map(Int64.init),
            links: AuditLinks(
                groupId: row.text(13), mergedFromText: row.text(14), mergedInto: row.text(15), restoredAs: row.text(16),
                runId: row.text(17)))
    }
}

extension SQLiteAuditStore {
    /// Opens a standalone audit database (for remote backends): WAL, `synchronous=FULL`, and a
    /// busy timeout so several gateway processes can share the file, and open or migrate it at
    /// the same moment.
    public static func open(path: String, clock: @escaping @Sendable () -> Int64, busyTimeout: TimeInterval = 10) throws
        -> SQLiteAuditStore
    {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        let pool = try SharedPool.open(path: path, configuration: configuration, timeout: busyTimeout)
        // Migrated at the `synchronous = NORMAL` a pool sets up WAL mode with, so a new log's start
        // makes no sync for it; the first durable commit's sync covers it (as the store's,
        // `ContactStore.init(path:configuration:migratingAlso:)`). FULL for every commit after.
        try AuditSchema.migrate(pool, timeout: busyTimeout)
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        return try SQLiteAuditStore(database: pool, clock: clock, busyTimeout: busyTimeout)
    }
}
