import Foundation
import GRDB
import JSONCore
public import WixContacts

extension ContactStore {
    /// Runs a query (SPEC §3 `contacts.query`): filter, sort (default: newest first), paging.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the filter or sort path that cannot be used.
    public func query(_ query: ContactQuery) async throws -> ContactPage {
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
        let filterArguments = StatementArguments(compiler.arguments)
        let sql =
            "SELECT id, revision, json FROM contact WHERE \(condition) ORDER BY \(order.joined(separator: ", ")) LIMIT ? OFFSET ?"
        let countSQL = "SELECT COUNT(*) FROM contact WHERE \(condition)"
        let limit = min(max(query.limit, 0), ContactQuery.maximumLimit)
        let offset = max(query.offset, 0)
        return try await database.read { db in
            let pageArguments = filterArguments + [limit, offset]
            let contacts = try Row.fetchAll(db, sql: sql, arguments: pageArguments).map { row -> ContactSnapshot in
                let json: Data = row[2]
                return ContactSnapshot(id: row[0], revision: row[1], json: RawJSON(trusted: Array(json)))
            }
            let total = try Int.fetchOne(db, sql: countSQL, arguments: filterArguments) ?? 0
            return ContactPage(contacts: contacts, offset: offset, total: total)
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
