public import GRDB
import SharedDatabase
import WixContacts

extension ContactStore {
    /// The store's own triggers, whose work ``CountKeeping`` does on a writer that runs none.
    static let countTriggers: Set<String> = [
        "contact_count_on_insert", "contact_count_on_delete",
        "contact_label_count_on_insert", "contact_label_count_on_delete",
    ]

    /// Stops the writer running the file's triggers, when the store can do without them: the
    /// store then keeps its counts itself (``CountKeeping``), and `recordedChangeTriggers` are
    /// triggers that do nothing for a change recorded in the audit log in its own transaction.
    /// Returns whether the writer now runs without triggers: `false`, changing nothing, when the
    /// file has a trigger that is neither (a newer build's, or a user's).
    ///
    /// A contact's `UPDATE` then costs SQLite about half the instructions (29,000 instead of
    /// 54,000): no trigger program, and no statement journal for it. Only this store's writer
    /// changes; every other connection to the file, in this process or another, runs every
    /// trigger as before.
    ///
    /// Call it once the file's migrations are done, and only when every change made through this
    /// store from then on is recorded in the audit log in the change's transaction (the gateway's
    /// local backend: ``commit(_:journal:)``, ``delete(id:revision:journal:)``,
    /// ``merge(targetId:sourceIds:targetRevision:journal:)``, ``deleteLabel(key:journal:)`` with
    /// a journal that records, and ``write(changes:)`` bodies that record). The store's
    /// unrecorded operations (``update(id:patch:revision:allowDuplicates:)``, the emulator's) then
    /// throw `INTERNAL_ERROR` instead of writing.
    @discardableResult
    public func runWriterWithoutTriggers(recordedChangeTriggers: Set<String>) throws -> Bool {
        try database.writeWithoutTransaction { db in
            let triggers = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'")
            guard Set(triggers).isSubset(of: Self.countTriggers.union(recordedChangeTriggers)) else { return false }
            try ConnectionTriggers.stop(on: db)
            return true
        }
    }

    /// Throws unless `db` runs triggers: a change written without recording it needs the audit
    /// log's triggers to keep the contact's JSON its latest entry leaves in the row.
    static func requireTriggers(forUnrecordedChangeIn db: Database) throws {
        guard ConnectionTriggers.areRunning(on: db) else {
            throw ContactsError(
                .internalError,
                message: "This store records every change in its audit log; it cannot write one without recording it.")
        }
    }
}
