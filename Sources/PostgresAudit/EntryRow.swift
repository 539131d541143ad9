import ContactAudit
import JSONCore
import NIOCore
import PostgresNIO
import WixContacts

/// Reads `audit_entry` rows into ``AuditEntry`` values.
enum EntryRow {
    /// The columns ``entry(_:)`` reads, in order.
    static let columns = """
        audit_id, contact_id, operation, revision_before, revision_after, before_json, after_json, changed_fields, \
        "timestamp", actor, request_id, undo_of, undone_by, group_id, merged_from, merged_into, restored_as, run_id
        """

    static func entry(_ row: PostgresRow) throws -> AuditEntry {
        let cells = row.makeRandomAccess()
        let changed = try cells[7].decode(String.self)
        let fields = (try? JSONValue.parse(Array(changed.utf8)))?.arrayValue?.compactMap(\.stringValue) ?? []
        let contactId = try cells[1].decode(String.self)
        return AuditEntry(
            stored: try cells[0].decode(Int64.self), contactId: contactId,
            operation: AuditOperation(rawValue: try cells[2].decode(String.self)),
            revisionBefore: try cells[3].decode(Int?.self), revisionAfter: try cells[4].decode(Int?.self),
            before: try bytes(cells[5]).map(RawJSON.init(trusted:)), after: try bytes(cells[6]).map(RawJSON.init(trusted:)),
            changedFields: fields, timestamp: try cells[8].decode(String.self), actor: try cells[9].decode(String?.self),
            requestId: try cells[10].decode(String?.self), undoOf: try cells[11].decode(Int64?.self),
            undoneBy: try cells[12].decode(Int64?.self),
            links: links(
                groupId: try cells[13].decode(String?.self), mergedFrom: try cells[14].decode(String?.self),
                mergedInto: try cells[15].decode(String?.self), restoredAs: try cells[16].decode(String?.self),
                runId: try cells[17].decode(String?.self)))
    }

    static func bytes(_ cell: PostgresCell) throws -> [UInt8]? {
        try cell.decode(ByteBuffer?.self).map { Array($0.readableBytesView) }
    }

    /// Links as stored: `merged_from` is a JSON array.
    static func links(
        groupId: String?, mergedFrom: String?, mergedInto: String?, restoredAs: String?, runId: String?
    ) -> AuditLinks {
        AuditLinks(
            groupId: groupId,
            mergedFrom: mergedFrom.flatMap { try? JSONValue.parse(Array($0.utf8)) }?.arrayValue?.compactMap(\.stringValue),
            mergedInto: mergedInto, restoredAs: restoredAs, runId: runId)
    }

    /// `mergedFrom` as stored.
    static func mergedFromText(_ links: AuditLinks) -> String? {
        links.mergedFrom.map { JSONValue.array($0.map { .string($0) }).serializedString() }
    }
}
