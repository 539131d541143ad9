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

        /// Creates the description of an entry.
        public init(operation: AuditOperation, actor: String?, requestId: String?, undoOf: Int64? = nil) {
            self.operation = operation
            self.actor = actor
            self.requestId = requestId
            self.undoOf = undoOf
        }
    }

    let entry: Entry
    let clock: @Sendable () -> Int64

    public func record(_ change: ContactChange, in db: Database) throws -> Int64 {
        try SQLiteAuditStore.append(
            db,
            AuditRecord(
                contactId: change.after.id, operation: entry.operation, before: change.beforeSnapshot,
                after: change.snapshot, changedFields: change.changedFields, actor: entry.actor,
                requestId: entry.requestId, undoOf: entry.undoOf, beforeIsLatestAfter: change.beforeIsAudited),
            clock: clock)
    }
}

extension SQLiteAuditStore {
    /// The journal that records changes of the embedded store in this log, which must live in
    /// the store's own database file.
    public func journal(_ entry: AuditJournal.Entry) -> AuditJournal {
        AuditJournal(entry: entry, clock: clock)
    }
}
