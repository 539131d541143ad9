import ContactStore
import Hummingbird
import JSONCore
import WixContacts

/// The contact operations of Wix Contacts v4, served from the store.
///
/// Stored contacts are spliced into responses as raw bytes: the emulator never re-encodes a
/// contact, so clients see exactly what the store wrote.
struct ContactRoutes {
    let store: ContactStore

    /// Adds the routes under a group at `/contacts/v4`.
    func register(on group: RouterGroup<EmulatorRequestContext>) {
        group.get("contacts/:id") { _, context in try await get(context) }
        group.patch("contacts/:id") { request, context in try await update(request, context) }
        group.post("contacts") { request, context in try await create(request, context) }
        group.post("contacts/query") { request, context in try await query(request, context) }
    }

    /// `GET /contacts/v4/contacts/{id}` → `{ contact }`.
    func get(_ context: EmulatorRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let snapshot = try await store.snapshot(id: id)
        return WixResponse.json(["contact": .raw(snapshot.json)])
    }

    /// `PATCH /contacts/v4/contacts/{id}` `{ info, revision, allowDuplicates }` → `{ contact }`.
    func update(_ request: Request, _ context: EmulatorRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let body = try await RequestJSON.read(request, context: context)
        let patch = try ContactInfoPatch(json: try body.required("info"))
        let revision = try body.int("revision")
        let change = try await store.update(
            id: id, patch: patch, revision: revision, allowDuplicates: try body.bool("allowDuplicates"))
        return WixResponse.json(["contact": .raw(change.snapshot.json)])
    }

    /// `POST /contacts/v4/contacts` `{ info, allowDuplicates }` → `{ contact }`.
    func create(_ request: Request, _ context: EmulatorRequestContext) async throws -> Response {
        let body = try await RequestJSON.read(request, context: context)
        let patch = try ContactInfoPatch(json: try body.required("info"))
        let change = try await store.create(patch: patch, allowDuplicates: try body.bool("allowDuplicates"))
        return WixResponse.json(["contact": .raw(change.snapshot.json)])
    }

    /// `POST /contacts/v4/contacts/query` `{ query: { filter, sort, paging } }`
    /// → `{ contacts, pagingMetadata: { count, offset, total } }`.
    func query(_ request: Request, _ context: EmulatorRequestContext) async throws -> Response {
        let body = try await RequestJSON.read(request, context: context)
        let page = try await store.query(try Self.contactQuery(body["query"]))
        return WixResponse.json([
            "contacts": .array(page.contacts.map { .raw($0.json) }),
            "pagingMetadata": ["count": .int(page.count), "offset": .int(page.offset), "total": .int(page.total)],
        ])
    }

    /// Reads Wix's query object; a member of the wrong shape is a `validationError` naming it.
    static func contactQuery(_ value: JSONValue?) throws(ContactsError) -> ContactQuery {
        guard let value else { return ContactQuery() }
        guard let object = value.objectValue else {
            throw WixResponse.invalid("query", "The query must be an object.", rule: "TYPE")
        }
        var query = ContactQuery()
        if let filter = object["filter"], !filter.isNull {
            guard let filter = filter.objectValue else {
                throw WixResponse.invalid("query.filter", "The filter must be an object.", rule: "TYPE")
            }
            query.filter = filter
        }
        if let paging = object["paging"], !paging.isNull {
            guard let paging = paging.objectValue else {
                throw WixResponse.invalid("query.paging", "The paging must be an object.", rule: "TYPE")
            }
            if let limit = paging["limit"], !limit.isNull {
                guard let limit = limit.intValue, (1...ContactQuery.maximumLimit).contains(limit) else {
                    throw WixResponse.invalid("query.paging.limit", "The limit must be an integer from 1 to 1000.")
                }
                query.limit = limit
            }
            if let offset = paging["offset"], !offset.isNull {
                guard let offset = offset.intValue, offset >= 0 else {
                    throw WixResponse.invalid("query.paging.offset", "The offset must be a non-negative integer.")
                }
                query.offset = offset
            }
        }
        if let sort = object["sort"], !sort.isNull {
            guard let keys = sort.arrayValue else {
                throw WixResponse.invalid("query.sort", "The sort must be an array.", rule: "TYPE")
            }
            for (index, key) in keys.enumerated() {
                let path = "query.sort[\(index)]"
                guard let fieldName = key["fieldName"]?.stringValue else {
                    throw WixResponse.invalid(path + ".fieldName", "Each sort key needs a fieldName.", rule: "REQUIRED")
                }
                let order = key["order"]?.stringValue ?? "ASC"
                guard order == "ASC" || order == "DESC" else {
                    throw WixResponse.invalid(path + ".order", "The order must be ASC or DESC.", rule: "ENUM")
                }
                query.sort.append(ContactQuery.SortKey(fieldName: fieldName, ascending: order == "ASC"))
            }
        }
        return query
    }
}
