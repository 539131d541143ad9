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
        guard let value, !value.isNull else { return ContactQuery() }
        guard let object = value.objectValue else {
            throw WixResponse.invalid("query", "The query must be an object.", rule: "TYPE")
        }
        do {
            return try ContactQuery(json: object)
        } catch {
            throw WixResponse.invalid("query." + error.field, "The query member \(error.message)", rule: error.rule)
        }
    }
}
