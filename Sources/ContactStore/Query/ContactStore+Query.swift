import Foundation
import GRDB
import JSONCore
public import WixContacts

/// A query compiled to SQL: the page's statement and the total's.
struct CompiledQuery {
    /// `SELECT contact.rowid ... ORDER BY ... LIMIT ? OFFSET ?`: the page, as row ids.
    var pageSQL: String
    /// `SELECT COUNT(*) ...`, or a kept count: of every contact (with the default order's
    /// version, second) when nothing is filtered, of a label's holders for one label.
    var countSQL: String
    /// Nothing is filtered: the total and the order's version come from `contact_count`.
    var isUnfiltered: Bool
    /// The filter's arguments (the page's are these, then limit and offset).
    var arguments: StatementArguments
    var limit: Int
    var offset: Int
    /// For one item equality in the default order (`{"info.labelKeys": "custom.vip"}`): the page
    /// read by walking the default order's index and keeping the contacts in the item's set,
    /// which ``query(_:)`` prefers when the set is large (see ``walksTheOrder(matches:of:)``).
    var walkingPageSQL: String?
    /// In the default order: the page after a contact, `(created_date, id)` then limit, offset.
    var keysetPageSQL: String?
    /// Unfiltered, in the default order: the contact `?` places after the start, and after a
    /// contact `(created_date, id)` (``PageAnchors`` walking a deep offset).
    var stepSQL: (fromStart: String, afterAnchor: String)?
    /// The query, for ``PageAnchors``: its page SQL and arguments.
    var key: String

    /// Compiles `query`.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the filter or sort path that cannot be used.
    init(_ query: ContactQuery) throws(ContactsError) {
        var compiler = ContactFilterCompiler()
        let condition = try compiler.compile(query.filter)
        var order: [String] = []
        for (index, key) in query.sort.enumerated() {
            guard let column = ContactFilterCompiler.sortColumn(key.fieldName) else {
                throw ContactsError.invalidArgument([
                    FieldViolation(
                        field: "sort[\(index)].fieldName", description: "This field cannot be sorted on.",
                        violatedRule: "FORMAT")
                ])
            }
            order.append("\(column) \(key.ascending ? "ASC" : "DESC")")
        }
        if order.isEmpty { order.append("created_date DESC") }
        order.append("id ASC")
        let orderBy = order.joined(separator: ", ")
        // Row ids first, then the 50 rows: the sort and a deep offset handle index entries and
        // row ids, never the contacts' JSON.
        pageSQL = "SELECT contact.rowid FROM contact WHERE \(condition) ORDER BY \(orderBy) LIMIT ? OFFSET ?"
        isUnfiltered = condition == "1"
        countSQL =
            isUnfiltered ? "SELECT n, version FROM contact_count" : "SELECT COUNT(*) FROM contact WHERE \(condition)"
        let defaultOrder = orderBy == "created_date DESC, id ASC"
        if defaultOrder {
            let after = "created_date <= ? AND (created_date < ? OR id > ?)"
            keysetPageSQL =
                "SELECT contact.rowid FROM contact WHERE (\(condition)) AND \(after) ORDER BY \(orderBy) LIMIT ? OFFSET ?"
            if condition == "1" {
                let step = "SELECT created_date, id FROM contact"
                stepSQL = (
                    "\(step) ORDER BY \(orderBy) LIMIT 1 OFFSET ?",
                    "\(step) WHERE \(after) ORDER BY \(orderBy) LIMIT 1 OFFSET ?"
                )
            }
        }
        if let item = Self.itemEquality(query.filter), defaultOrder {
            // Each contact holds a value once in its side table, and a side row always has its
            // contact (ON DELETE CASCADE): the side index alone counts the contacts.
            countSQL =
                item.table == "contact_label"
                ? "SELECT coalesce((SELECT n FROM contact_label_count WHERE label_key = ?), 0)"
                : "SELECT COUNT(*) FROM \(item.table) WHERE \(item.column) = ?"
            // Tested contact by contact on the side table's key, as the walk meets them: the
            // `IN` set would first gather every match (50,000 ids for a big label).
            walkingPageSQL = """
                SELECT contact.rowid FROM contact INDEXED BY contact_on_created_date_id \
                WHERE EXISTS (SELECT 1 FROM \(item.table) l WHERE l.contact_key = contact.contact_key AND l.\(item.column) = ?) \
                ORDER BY \(orderBy) LIMIT ? OFFSET ?
                """
        }
        arguments = StatementArguments(compiler.arguments)
        key = pageSQL + "\u{0}" + arguments.description
        limit = min(max(query.limit, 0), ContactQuery.maximumLimit)
        offset = max(query.offset, 0)
    }

    /// The side table and column when `filter` is one item field equal to one value.
    private static func itemEquality(_ filter: JSONObject) -> (table: String, column: String)? {
        guard filter.count == 1, let key = filter.keys.first, let value = filter[key],
            case .list(let table, let column, _, _) = ContactFilterCompiler.fields[key]
        else { return nil }
        var operand = value
        if case .object(let operators) = value {
            guard operators.count == 1, let equal = operators["$eq"] else { return nil }
            operand = equal
        }
        switch operand {
        case .string, .int, .double, .bool: return (table, column)
        default: return nil
        }
    }

    /// Whether walking the default order's index (it holds every contact's id) and testing each
    /// contact met beats searching each of `matches` contacts by id and sorting them: the walk
    /// meets about `(offset + limit) × contacts / matches` contacts, one key lookup each; the
    /// search costs a lookup or two per match.
    func walksTheOrder(matches: Int, of contacts: Int) -> Bool {
        guard walkingPageSQL != nil, matches > 0 else { return false }
        let walked = Double(offset + limit) * Double(contacts) / Double(matches)
        return walked < Double(matches)
    }
}

extension ContactStore {
    /// Runs a query (SPEC §3 `contacts.query`): filter, sort (default: newest first), paging.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the filter or sort path that cannot be used.
    public func query(_ query: ContactQuery) async throws -> ContactPage {
        let compiled = try CompiledQuery(query)
        let epoch = decodedContacts.currentEpoch()
        return try await database.read { [pageAnchors, decodedContacts] db in
            let counted = try Row.fetchOne(db, sql: compiled.countSQL, arguments: compiled.arguments)
            let total: Int = counted?[0] ?? 0
            // What the page anchors are taken under: unfiltered, the version of the order read in
            // this very snapshot (updates leave it); filtered, any commit may change the set.
            let stamp: UInt64 = compiled.isUnfiltered ? UInt64(counted?[1] as Int64? ?? 0) : epoch
            var rowIDs: [Int64]
            // Where the page starts from: the nearest anchor before it, walked on in strides.
            var from: (position: Int, anchor: PageAnchors.Anchor)?
            var taken: [(position: Int, anchor: PageAnchors.Anchor)] = []
            if compiled.offset > 0, compiled.keysetPageSQL != nil {
                if compiled.isUnfiltered, let old = pageAnchors.staleStamp(for: compiled.key, current: stamp) {
                    try Self.moveAnchors(of: compiled.key, in: pageAnchors, from: old, to: stamp, total: total, db)
                }
                from = pageAnchors.anchor(for: compiled.key, atOrBefore: compiled.offset, stamp: stamp, total: total)
                if let steps = compiled.stepSQL {
                    while compiled.offset - (from?.position ?? 0) > PageAnchors.stride {
                        let skip = PageAnchors.stride - 1
                        let step: Row?
                        if let anchor = from?.anchor {
                            step = try Row.fetchOne(
                                db, sql: steps.afterAnchor,
                                arguments: [anchor.createdDate, anchor.createdDate, anchor.id, skip])
                        } else {
                            step = try Row.fetchOne(db, sql: steps.fromStart, arguments: [skip])
                        }
                        guard let step else { break }
                        let reached = (
                            position: (from?.position ?? 0) + PageAnchors.stride,
                            anchor: PageAnchors.Anchor(stamp: stamp, total: total, createdDate: step[0], id: step[1])
                        )
                        taken.append(reached)
                        from = reached
                    }
                }
            }
            if let keyset = compiled.keysetPageSQL, let from {
                rowIDs = try Int64.fetchAll(
                    db, sql: keyset,
                    arguments: compiled.arguments + [
                        from.anchor.createdDate, from.anchor.createdDate, from.anchor.id, compiled.limit,
                        compiled.offset - from.position,
                    ])
            } else {
                var pageSQL = compiled.pageSQL
                if let walking = compiled.walkingPageSQL,
                    compiled.walksTheOrder(
                        matches: total, of: try Int.fetchOne(db, sql: "SELECT n FROM contact_count") ?? 0)
                {
                    pageSQL = walking
                }
                rowIDs = try Int64.fetchAll(
                    db, sql: pageSQL, arguments: compiled.arguments + [compiled.limit, compiled.offset])
            }
            let row = try db.cachedStatement(
                sql: "SELECT id, revision, json, created_date FROM contact WHERE rowid = ?")
            var last: (createdDate: Int64, id: String)?
            let contacts = try rowIDs.compactMap { rowID -> ContactSnapshot? in
                guard let found = try Row.fetchOne(row, arguments: [rowID]) else { return nil }
                let json: Data = found[2]
                last = (found[3], found[0])
                return try Self.storedSnapshot(id: found[0], revision: found[1], json: Array(json))
            }
            if compiled.keysetPageSQL != nil, let last, contacts.count == compiled.limit {
                taken.append(
                    (
                        compiled.offset + contacts.count,
                        PageAnchors.Anchor(stamp: stamp, total: total, createdDate: last.createdDate, id: last.id)
                    ))
            }
            // Filtered, only when no commit may have slipped in between (see ``PageAnchors``).
            if compiled.isUnfiltered || decodedContacts.currentEpoch() == epoch {
                for (position, anchor) in taken { pageAnchors.remember(anchor, for: compiled.key, at: position) }
            }
            return ContactPage(contacts: contacts, offset: compiled.offset, total: total)
        }
    }
}

extension ContactStore {
    /// Moves the anchors of an unfiltered query taken at order version `old` by the inserts and
    /// deletes since, up to `new` (`contact_order_change`); drops them when those are more than
    /// the table keeps.
    static func moveAnchors(
        of key: String, in anchors: PageAnchors, from old: UInt64, to new: UInt64, total: Int, _ db: Database
    ) throws {
        guard new > old, new - old <= UInt64(StoreSchema.orderChangesKept) else {
            anchors.rebase(key, from: old, to: new, total: total, shift: nil)
            return
        }
        let changes = try Row.fetchAll(
            db, sql: "SELECT created_date, id, delta FROM contact_order_change WHERE version > ? AND version <= ?",
            arguments: [Int64(old), Int64(new)]
        ).map { (createdDate: $0[0] as Int64, id: $0[1] as String, delta: $0[2] as Int) }
        guard changes.count == Int(new - old) else {
            anchors.rebase(key, from: old, to: new, total: total, shift: nil)
            return
        }
        anchors.rebase(key, from: old, to: new, total: total) { anchor in
            // In the default order (newest first, then id): a change counts when its contact
            // sorts before the anchor, or is the anchor itself (deleted).
            changes.reduce(0) { sum, change in
                let before =
                    change.createdDate > anchor.createdDate
                    || (change.createdDate == anchor.createdDate && change.id <= anchor.id)
                return before ? sum + change.delta : sum
            }
        }
    }
}

extension ContactStore: ContactsService {
    public func contact(id: String) async throws -> ContactSnapshot {
        try await snapshot(id: id)
    }

    public func updateContact(id: String, patch: ContactInfoPatch, revision: Int, allowDuplicates: Bool) async throws
        -> ContactSnapshot
    {
        try await update(id: id, patch: patch, revision: revision, allowDuplicates: allowDuplicates).snapshot
    }

    public func createContact(info: ContactInfoPatch, allowDuplicates: Bool) async throws -> ContactSnapshot {
        try await create(patch: info, allowDuplicates: allowDuplicates).snapshot
    }

    public func queryContacts(_ query: ContactQuery) async throws -> ContactPage {
        try await self.query(query)
    }
}
