public import JSONCore
public import WixContacts

/// The kind of change an audit entry records. Open, so entries written by a newer build still read.
public struct AuditOperation: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    /// `contacts.create`.
    public static let create: AuditOperation = "create"
    /// `contacts.update`.
    public static let update: AuditOperation = "update"
    /// `contacts.forceUpdate`.
    public static let forceUpdate: AuditOperation = "forceUpdate"
    /// `contacts.undo`.
    public static let undo: AuditOperation = "undo"
    /// `contacts.delete`, a merge's source, or undoing a create: `after` is `null`.
    public static let delete: AuditOperation = "delete"
    /// `contacts.label`.
    public static let label: AuditOperation = "label"
    /// `contacts.unlabel`, and each contact that loses a deleted label.
    public static let unlabel: AuditOperation = "unlabel"
    /// `contacts.merge`: the target's change (`mergedFrom` names the sources).
    public static let merge: AuditOperation = "merge"
    /// A change made outside this gateway (the dashboard, a form, another app), seen when the
    /// gateway read the contact at a newer revision than the log knew; `actor` is `null`.
    public static let external: AuditOperation = "external"
    /// Every operation this build writes.
    public static let all: [AuditOperation] = [
        .create, .update, .forceUpdate, .undo, .delete, .label, .unlabel, .merge, .external,
    ]
}

/// One change made through the gateway (SPEC §6): full snapshots before and after, revisions,
/// the `info` fields that changed, who and when, and how it links to undo.
public struct AuditEntry: Sendable {
    /// Strictly increasing id.
    public var auditId: Int64
    /// The contact changed.
    public var contactId: String
    /// What was done.
    public var operation: AuditOperation
    /// Revision before the change; `nil` for a create.
    public var revisionBefore: Int?
    /// Revision after the change.
    public var revisionAfter: Int?
    /// The contact before; `nil` for a create.
    public var before: RawJSON?
    /// The contact after.
    public var after: RawJSON?
    /// Top-level `info` paths whose writable value changed (`info.company`).
    public var changedFields: [String]
    /// When the change was made, RFC 3339 UTC with milliseconds.
    public var timestamp: String
    /// Who made it.
    public var actor: String?
    /// The JSON-RPC id of the request that made it.
    public var requestId: String?
    /// The entry this one undid.
    public var undoOf: Int64?
    /// The entry that undid this one.
    public var undoneBy: Int64?
    /// Its group and the contacts it links to (merges, restored deletes).
    public var links = AuditLinks()

    /// The entry in the shape of SPEC §6.
    public var json: JSONValue {
        var object = JSONObject()
        object.appendUnchecked("auditId", .int(Int(auditId)))
        object.appendUnchecked("contactId", .string(contactId))
        object.appendUnchecked("operation", .string(operation.rawValue))
        object.appendUnchecked("revisionBefore", revisionBefore.map { .int($0) } ?? .null)
        object.appendUnchecked("revisionAfter", revisionAfter.map { .int($0) } ?? .null)
        object.appendUnchecked("before", before.map { .raw($0) } ?? .null)
        object.appendUnchecked("after", after.map { .raw($0) } ?? .null)
        object.appendUnchecked("changedFields", .array(changedFields.map { .string($0) }))
        object.appendUnchecked("timestamp", .string(timestamp))
        if let actor { object.appendUnchecked("actor", .string(actor)) }
        if let requestId { object.appendUnchecked("requestId", .string(requestId)) }
        if let undoOf { object.appendUnchecked("undoOf", .int(Int(undoOf))) }
        if let undoneBy { object.appendUnchecked("undoneBy", .int(Int(undoneBy))) }
        if operation == .external { object.appendUnchecked("observedAt", .string(timestamp)) }
        links.append(to: &object)
        return .object(object)
    }

    /// The decoded contact before the change.
    public func beforeContact() throws(ContactsError) -> Contact? {
        guard let before, let revisionBefore else { return nil }
        return try ContactSnapshot(id: contactId, revision: revisionBefore, json: before).contact()
    }

    /// The decoded contact after the change.
    public func afterContact() throws(ContactsError) -> Contact? {
        guard let after, let revisionAfter else { return nil }
        return try ContactSnapshot(id: contactId, revision: revisionAfter, json: after).contact()
    }
}

/// What the gateway records for a change it is about to commit.
public struct AuditRecord: Sendable {
    /// The contact changed.
    public var contactId: String
    /// What was done.
    public var operation: AuditOperation
    /// The contact before (`nil` for a create).
    public var before: ContactSnapshot?
    /// The contact after; `nil` when the change removed it (a delete).
    public var after: ContactSnapshot?
    /// Top-level `info` field names that changed (`company`); stored as `info.company`.
    public var changedFields: [String]
    /// Who made the change.
    public var actor: String?
    /// The request that made it.
    public var requestId: String?
    /// The entry this change undoes.
    public var undoOf: Int64?
    /// Its group and the contacts it links to.
    public var links: AuditLinks
    /// Whether the caller knows `before` is, byte for byte, the `after` of the contact's latest
    /// entry; then `before` is left out without comparing the two in SQL.
    public var beforeIsLatestAfter: Bool
    /// Whether `after` is, byte for byte, what the embedded store's `contact` row of `contactId`
    /// holds at `after.revision`, written in the same transaction; then `after` is left out and
    /// read from that row, which keeps it until it changes (see ``ContactRowAfters``).
    public var afterIsContactRow: Bool
    /// `before` as the embedded store's `contact` row holds it (packed: `CompactJSON`), when the
    /// caller has those bytes: stored in its place. The hash covers `before` all the same, and
    /// readers unpack it.
    public var storedBefore: [UInt8]?
    /// The id of the contact's latest entry as the contact's row kept it (`journal_head`), when
    /// the caller read it in this transaction: the row it planned from, or a row it deleted before
    /// recording (``ContactStore/ContactDeletion/journalHead``). `nil`: the log looks it up.
    public var rowHead: Int64?
    /// Whether the caller writes this entry's id into the contact's row as its head (the store's
    /// main write path, ``ContactStore/ChangeJournal/keepsRowHeads``); else the log keeps it.
    public var headKeptByCaller: Bool

    /// Creates a record.
    public init(
        contactId: String, operation: AuditOperation, before: ContactSnapshot?, after: ContactSnapshot?,
        changedFields: [String], actor: String?, requestId: String?, undoOf: Int64? = nil,
        links: AuditLinks = AuditLinks(), beforeIsLatestAfter: Bool = false, afterIsContactRow: Bool = false,
        storedBefore: [UInt8]? = nil, rowHead: Int64? = nil, headKeptByCaller: Bool = false
    ) {
        self.storedBefore = storedBefore
        self.rowHead = rowHead
        self.headKeptByCaller = headKeptByCaller
        self.links = links
        self.beforeIsLatestAfter = beforeIsLatestAfter
        self.afterIsContactRow = afterIsContactRow
        self.contactId = contactId
        self.operation = operation
        self.before = before
        self.after = after
        self.changedFields = changedFields
        self.actor = actor
        self.requestId = requestId
        self.undoOf = undoOf
    }
}

/// How an entry relates to others beyond undo: the group it belongs to (one merge, one bulk
/// call, one label deletion, one group undo) and the contacts a merge or a restored delete links.
public struct AuditLinks: Sendable, Equatable {
    /// Shared by every entry of one call that changed several contacts.
    public var groupId: String?
    /// A merge target's entry: the sources merged into it, in order.
    public var mergedFrom: [String]?
    /// A merge source's `delete` entry: the target it was merged into.
    public var mergedInto: String?
    /// An undo that recreated a deleted contact: the new contact's id (Wix cannot restore ids).
    public var restoredAs: String?
    /// The gateway process (run) that wrote the entry.
    public var runId: String?

    /// Links.
    public init(
        groupId: String? = nil, mergedFrom: [String]? = nil, mergedInto: String? = nil, restoredAs: String? = nil,
        runId: String? = nil
    ) {
        self.groupId = groupId
        self.mergedFrom = mergedFrom
        self.mergedInto = mergedInto
        self.restoredAs = restoredAs
        self.runId = runId
    }

    /// These links with `restoredAs` set to `id`.
    func restored(as id: String) -> AuditLinks {
        var links = self
        links.restoredAs = id
        return links
    }

    /// Appends the members that are set, as SPEC §6 names them.
    func append(to object: inout JSONObject) {
        if let groupId { object.appendUnchecked("groupId", .string(groupId)) }
        if let mergedFrom { object.appendUnchecked("mergedFrom", .array(mergedFrom.map { .string($0) })) }
        if let mergedInto { object.appendUnchecked("mergedInto", .string(mergedInto)) }
        if let restoredAs { object.appendUnchecked("restoredAs", .string(restoredAs)) }
        if let runId { object.appendUnchecked("runId", .string(runId)) }
    }

    /// `mergedFrom` as stored: a JSON array.
    var mergedFromText: String? {
        mergedFrom.map { JSONValue.array($0.map { .string($0) }).serializedString() }
    }

    /// Links as stored in the four columns.
    init(groupId: String?, mergedFromText: String?, mergedInto: String?, restoredAs: String?, runId: String?) {
        self.init(
            groupId: groupId,
            mergedFrom: mergedFromText.flatMap { try? JSONValue.parse(Array($0.utf8)) }?.arrayValue?.compactMap(
                \.stringValue),
            mergedInto: mergedInto, restoredAs: restoredAs, runId: runId)
    }
}
