import Foundation
public import GRDB
public import JSONCore
public import WixContacts

/// A change sent to a remote backend whose outcome is not yet recorded.
public struct AuditIntent: Sendable {
    /// The entry id reserved for the change.
    public var auditId: Int64
    /// The contact; empty for a create (its id is not known before the call).
    public var contactId: String
    /// What is being done.
    public var operation: AuditOperation
    /// The contact before the change.
    public var before: ContactSnapshot?
    /// The `info` sent.
    public var patch: JSONValue
    /// The entry an undo reverts.
    public var undoOf: Int64?
    /// When the intent was recorded (milliseconds since 1970): a create's contact is looked for
    /// among those created since.
    public var recordedAt: Int64
    /// Its group and links.
    public var links: AuditLinks
}

/// The intents of ``AuditStore``, in the `audit_entry` table with `state = 'intent'`.
extension SQLiteAuditStore {
    public func recordIntent(_ intent: AuditIntentRecord) async throws -> Int64 {
        let millis = clock()
        return try await database.write { db in
            let runKey = try CompactEntryColumns.runKey(db, runId: intent.links.runId)
            try db.execute(
                sql: """
                    INSERT INTO audit_entry (contact_id, operation, revision_before, before_json, changed_fields, timestamp,
                        timestamp_ms, actor, request_id, undo_of, state, intent, group_id, merged_from, merged_into, run_id,
                        run_key)
                    VALUES (?, ?, ?, ?, '[]', ?, ?, ?, ?, ?, 'intent', ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    intent.contactId, intent.operation.rawValue, intent.before?.revision,
                    intent.before.map { Data($0.json.bytes) }, CompactEntryColumns.storedTimestamp, millis,
                    intent.actor, intent.requestId, intent.undoOf, intent.patch.serializedString(),
                    intent.links.groupId, intent.links.mergedFromText, intent.links.mergedInto,
                    runKey == nil ? intent.links.runId : nil, runKey,
                ])
            return db.lastInsertedRowID
        }
    }

    public func settle(_ auditId: Int64, after: ContactSnapshot?, changedFields: [String], restoredAs: Bool)
        async throws
    {
        let changed = CompactEntryColumns.storedChangedFields(changedFields)
        try await database.write { db in
            // A create learns its contact's id here; a delete and a restored delete keep theirs.
            try db.execute(
                sql: """
                    UPDATE audit_entry SET state = 'settled',
                        contact_id = CASE WHEN contact_id = '' THEN ? ELSE contact_id END,
                        revision_after = ?, after_json = ?, changed_fields = ?, intent = NULL, restored_as = ?
                    WHERE audit_id = ? AND state = 'intent'
                    """,
                arguments: [
                    after?.id, after?.revision, after.map { Data($0.json.bytes) }, changed,
                    restoredAs ? after?.id : nil, auditId,
                ])
            guard db.changesCount == 1 else { return }  // settled already (by another process)
            if let contactId = try String.fetchOne(
                db, sql: "SELECT contact_id FROM audit_entry WHERE audit_id = ?", arguments: [auditId])
            {
                try AuditHeads.link(auditId, of: contactId, in: db)
            }
            try AuditChain.extend(db, auditId: auditId)
            if let undone = try Int64.fetchOne(
                db, sql: "SELECT undo_of FROM audit_entry WHERE audit_id = ?", arguments: [auditId])
            {
                try db.execute(
                    sql: "UPDATE audit_entry SET undone_by = ? WHERE audit_id = ?", arguments: [auditId, undone])
            }
        }
    }

    public func discard(_ auditId: Int64) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM audit_entry WHERE audit_id = ? AND state = 'intent'", arguments: [auditId])
        }
    }

    public func pendingIntents() async throws -> [AuditIntent] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT *, \(CompactEntryColumns.runIdColumn) AS recorded_run_id FROM audit_entry
                    WHERE state = 'intent' ORDER BY audit_id
                    """
            ).map { row in
                let before: Data? = row["before_json"]
                let revision: Int? = row["revision_before"]
                let contactId: String = row["contact_id"]
                let intent: String = row["intent"] ?? "null"
                return AuditIntent(
                    auditId: row["audit_id"], contactId: contactId,
                    operation: AuditOperation(rawValue: row["operation"]),
                    before: before.flatMap { data in
                        revision.map {
                            ContactSnapshot(id: contactId, revision: $0, json: RawJSON(trusted: Array(data)))
                        }
                    },
                    patch: (try? JSONValue.parse(intent)) ?? .null, undoOf: row["undo_of"],
                    recordedAt: row["timestamp_ms"],
                    links: AuditLinks(
                        groupId: row["group_id"], mergedFromText: row["merged_from"], mergedInto: row["merged_into"],
                        restoredAs: nil, runId: row["recorded_run_id"]))
            }
        }
    }
}
