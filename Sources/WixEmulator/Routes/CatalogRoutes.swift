import ContactStore
import Hummingbird
import JSONCore
import WixContacts

/// The label and extended-field catalogs: list labels, and find-or-create labels and extended
/// fields, so clients can make the keys a contact refers to.
struct CatalogRoutes {
    let store: ContactStore

    /// Adds the routes under a group at `/contacts/v4`.
    func register(on group: RouterGroup<EmulatorRequestContext>) {
        group.get("labels") { _, _ in try await labels() }
        group.post("labels") { request, context in try await label(request, context) }
        group.get("extended-fields") { _, _ in try await extendedFields() }
        group.post("extended-fields") { request, context in try await extendedField(request, context) }
    }

    /// `GET /contacts/v4/labels` → `{ labels: [ { key, displayName } ], pagingMetadata }`, by key.
    func labels() async throws -> Response {
        let labels = try await store.labels()
        return WixResponse.json([
            "labels": .array(labels.map(\.json)),
            "pagingMetadata": ["count": .int(labels.count), "offset": 0, "total": .int(labels.count)],
        ])
    }

    /// `POST /contacts/v4/labels` `{ displayName }` → `{ label: { key, displayName } }`.
    func label(_ request: Request, _ context: EmulatorRequestContext) async throws -> Response {
        let body = try await RequestJSON.read(request, context: context)
        let label = try await store.findOrCreateLabel(displayName: try body.string("displayName"))
        return WixResponse.json(["label": label.json])
    }

    /// `POST /contacts/v4/extended-fields` `{ displayName, dataType }`
    /// → `{ field: { key, displayName, dataType } }`; `dataType` defaults to `TEXT`.
    func extendedField(_ request: Request, _ context: EmulatorRequestContext) async throws -> Response {
        let body = try await RequestJSON.read(request, context: context)
        let displayName = try body.string("displayName")
        var dataType = ExtendedFieldType.text
        if let value = body["dataType"] {
            guard let name = value.stringValue, let type = ExtendedFieldType(rawValue: name) else {
                let names = ExtendedFieldType.allCases.map(\.rawValue).joined(separator: ", ")
                throw WixResponse.invalid("dataType", "The data type must be one of \(names).", rule: "ENUM")
            }
            dataType = type
        }
        let field = try await store.findOrCreateExtendedField(displayName: displayName, dataType: dataType)
        return WixResponse.json(["field": field.json])
    }

    /// `GET /contacts/v4/extended-fields` → `{ fields: [ { key, displayName, dataType } ], pagingMetadata }`.
    func extendedFields() async throws -> Response {
        let fields = try await store.extendedFields()
        return WixResponse.json([
            "fields": .array(fields.map(\.json)),
            "pagingMetadata": ["count": .int(fields.count), "offset": 0, "total": .int(fields.count)],
        ])
    }
}
