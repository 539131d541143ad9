import Foundation
import GRDB
import JSONCore
public import WixContacts

/// A query compiled to SQL: the page's statement and the total's.
struct CompiledQuery {
    /// `SELECT contact.rowid ... ORDER BY ... LIMIT ? OFFSET ?`: the page, as row ids.
    var pageSQL: String
    /// `SELECT COUNT(*) ...`, or the kept count when nothing is filtered.
    var countSQL: String
    /// The filter's arguments (the page's are these, then limit and offset).
    var arguments: StatementArguments
    var limit: Int
    var offset: Int

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
        // Row ids first, then the 50 rows: the sort and a deep offset handle index entries and
        // row ids, never the contacts' JSON.
        pageSQL =
            "SELECT contact.rowid FROM contact WHERE \(condition) ORDER BY \(order.joined(separator: ", ")) LIMIT ? OFFSET ?"
        countSQL =
            condition == "1" ? "SELECT n FROM contact_count" : "SELECT COUNT(*) FROM contact WHERE \(condition)"
        arguments = StatementArguments(compiler.arguments)
        limit = min(max(query.limit, 0), ContactQuery.maximumLimit)
        offset = max(query.offset, 0)
    }
}

extension ContactStore {
    /// Runs a query (SPEC §3 `contacts.query`): filter, sort (default: newest first), paging.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the filter or sort path that cannot be used.
    public func query(_ query: ContactQuery) async throws -> ContactPage {
        let compiled = try CompiledQuery(query)
        return try await database.read { db in
            let rowIDs = try Int64.fetchAll(
                db, sql: compiled.pageSQL, arguments: compiled.arguments + [compiled.limit, compiled.offset])
            let row = try db.cachedStatement(sql: "SELECT id, revision, json FROM contact WHERE rowid = ?")
            let contacts = try rowIDs.compactMap { rowID -> ContactSnapshot? in
                guard let found = try Row.fetchOne(row, arguments: [rowID]) else { return nil }
                let json: Data = found[2]
                return ContactSnapshot(id: found[0], revision: found[1], json: RawJSON(trusted: Array(json)))
            }
            let total = try Int.fetchOne(db, sql: compiled.countSQL, arguments: compiled.arguments) ?? 0
            return ContactPage(contacts: contacts, offset: compiled.offset, total: total)
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
