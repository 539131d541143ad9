import ContactStore
import Hummingbird
import JSONCore
import WixContacts

/// List, delete, label, unlabel, preview-merge and merge (Contacts v4), and label deletion,
/// served from the store with Wix's bodies and errors.
struct SurfaceRoutes {
    let store: ContactStore

    /// Adds the routes under a group at `/contacts/v4`.
    func register(on group: RouterGroup<EmulatorRequestContext>) {
        group.get("contacts") { request, _ in try await list(request) }
        group.delete("contacts/:id") { _, context in try await delete(context) }
        group.post("contacts/:id/labels") { request, context in try await label(request, context) }
        group.delete("contacts/:id/labels") { request, context in try await unlabel(request, context) }
        group.post("contacts/:id/preview-merge") { request, context in try await merge(request, context, preview: true) }
        group.post("contacts/:id/merge") { request, context in try await merge(request, context, preview: false) }
        group.delete("labels/:key") { _, context in try await deleteLabel(context) }
    }

    /// `GET /contacts/v4/contacts?paging.limit=&paging.offset=&sort.fieldName=&sort.order=ASC|DESC`
    /// → `{ contacts, pagingMetadata: { count, offset, total } }` (List Contacts; `fieldsets` is
    /// accepted, and every field is returned).
    func list(_ request: Request) async throws -> Response {
        let parameters = request.uri.queryParameters
        var query = ContactQuery()
        if let text = parameters.get("paging.limit") {
            guard let limit = Int(text), (1...ContactQuery.maximumLimit).contains(limit) else {
                throw WixResponse.invalid("paging.limit", "Must be an integer from 1 to 1000.", rule: "RANGE")
            }
            query.limit = limit
        }
        if let text = parameters.get("paging.offset") {
            guard let offset = Int(text), offset >= 0 else {
                throw WixResponse.invalid("paging.offset", "Must be a non-negative integer.", rule: "RANGE")
            }
            query.offset = offset
        }
        if let field = parameters.get("sort.fieldName") {
            let order = parameters.get("sort.order")?.uppercased() ?? "ASC"
            guard order == "ASC" || order == "DESC" else {
                throw WixResponse.invalid("sort.order", "Must be ASC or DESC.", rule: "ENUM")
            }
            query.sort = [ContactQuery.SortKey(fieldName: field, ascending: order == "ASC")]
        } else {
            query.sort = [ContactQuery.SortKey(fieldName: "createdDate", ascending: false)]  // Wix's default
        }
        let page = try await store.query(query)
        return WixResponse.json([
            "contacts": .array(page.contacts.map { .raw($0.json) }),
            "pagingMetadata": ["count": .int(page.count), "offset": .int(page.offset), "total": .int(page.total)],
        ])
    }

    /// `DELETE /contacts/v4/contacts/{id}` → `{}`.
    func delete(_ context: EmulatorRequestContext) async throws -> Response {
        try await store.deleteContact(id: try context.parameters.require("id"))
        return WixResponse.json([:])
    }

    /// `POST /contacts/v4/contacts/{id}/labels` `{ labelKeys }` → `{ contact }`.
    func label(_ request: Request, _ context: EmulatorRequestContext) async throws -> Response {
        let body = try await RequestJSON.read(request, context: context)
        let keys = try Self.labelKeys(body["labelKeys"])
        let snapshot = try await store.labelContact(id: try context.parameters.require("id"), labelKeys: keys)
        return WixResponse.json(["contact": .raw(snapshot.json)])
    }

    /// `DELETE /contacts/v4/contacts/{id}/labels?labelKeys=a&labelKeys=b` → `{ contact }`.
    func unlabel(_ request: Request, _ context: EmulatorRequestContext) async throws -> Response {
        let keys = try Self.labelKeys(.array(request.uri.queryParameters.getAll("labelKeys").map { .string($0) }))
        let snapshot = try await store.unlabelContact(id: try context.parameters.require("id"), labelKeys: keys)
        return WixResponse.json(["contact": .raw(snapshot.json)])
    }

    /// `POST /contacts/v4/contacts/{targetId}/merge` `{ sourceContactIds, targetContactRevision }`
    /// and `…/preview-merge` `{ sourceContactIds }` → `{ contact }`.
    func merge(_ request: Request, _ context: EmulatorRequestContext, preview: Bool) async throws -> Response {
        let targetId = try context.parameters.require("id")
        let body = try await RequestJSON.read(request, context: context)
        guard let ids = body["sourceContactIds"]?.arrayValue?.compactMap(\.stringValue), !ids.isEmpty else {
            throw WixResponse.invalid("sourceContactIds", "At least one source contact id is required.", rule: "REQUIRED")
        }
        let snapshot: ContactSnapshot
        if preview {
            snapshot = try await store.previewMerge(targetId: targetId, sourceIds: ids)
        } else {
            let revision = body["targetContactRevision"] == nil ? nil : try body.int("targetContactRevision")
            snapshot = try await store.mergeContacts(targetId: targetId, sourceIds: ids, targetRevision: revision)
        }
        return WixResponse.json(["contact": .raw(snapshot.json)])
    }

    /// `DELETE /contacts/v4/labels/{key}` → `{}`.
    func deleteLabel(_ context: EmulatorRequestContext) async throws -> Response {
        try await store.deleteLabel(key: try context.parameters.require("key"))
        return WixResponse.json([:])
    }

    /// A non-empty list of label keys.
    static func labelKeys(_ value: JSONValue?) throws(ContactsError) -> [String] {
        guard let keys = value?.arrayValue?.compactMap(\.stringValue), !keys.isEmpty,
            keys.count == value?.arrayValue?.count
        else {
            throw WixResponse.invalid("labelKeys", "At least one label key is required.", rule: "REQUIRED")
        }
        return keys
    }
}
