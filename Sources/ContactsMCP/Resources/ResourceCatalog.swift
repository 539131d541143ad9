public import ContactsGateway
public import JSONCore
import JSONRPC
import WixContacts

/// The MCP resources: a contact (`contact://{contactId}`) and its history
/// (`audit://{contactId}`), read through the same gateway methods as the tools.
///
/// ```swift
/// let resources = ResourceCatalog(methods: methods)
/// let contents = try await resources.read("audit://c-1", context: context)
/// ```
public struct ResourceCatalog: Sendable {
    /// The URI scheme of a contact.
    public static let contactScheme = "contact://"
    /// The URI scheme of a contact's history.
    public static let auditScheme = "audit://"
    /// How many contacts `resources/list` returns per page, and history entries a read returns.
    public static let pageSize = 50

    private let methods: GatewayMethods

    /// The resources of `methods`.
    public init(methods: GatewayMethods) {
        self.methods = methods
    }

    /// The `resources/templates/list` result.
    public var templates: JSONValue {
        [
            "resourceTemplates": [
                [
                    "uriTemplate": "contact://{contactId}", "name": "contact", "title": "Contact",
                    "description": "One contact as JSON (the Wix v4 Contact shape), with its current revision.",
                    "mimeType": "application/json",
                ],
                [
                    "uriTemplate": "audit://{contactId}", "name": "contact-history", "title": "Contact history",
                    "description":
                        "A contact's audit log, newest first: a git-log-like text and the entries as JSON (before/after snapshots, changed fields, actor).",
                    "mimeType": "text/plain",
                ],
            ]
        ]
    }

    /// The `resources/list` result: the most recently updated contacts, a page at a time
    /// (`cursor` is the offset of the page).
    public func list(cursor: String?, context: RequestContext) async throws -> JSONValue {
        let offset = cursor.flatMap { Int($0) } ?? 0
        let page = try await methods.call(
            "contacts.query",
            params: [
                "sort": [["fieldName": "updatedDate", "order": "DESC"]],
                "paging": ["limit": .int(Self.pageSize), "offset": .int(max(0, offset))],
            ],
            context: context
        ).resolvingRaw()
        let contacts = page["contacts"]?.arrayValue ?? []
        var result: JSONObject = [
            "resources": .array(
                contacts.map { contact in
                    let id = contact["id"]?.stringValue ?? ""
                    return [
                        "uri": .string(Self.contactScheme + id), "name": .string(id),
                        "title": .string(ResultSummary.displayName(contact) ?? id), "mimeType": "application/json",
                    ]
                })
        ]
        let total = page["pagingMetadata"]?["total"]?.intValue ?? 0
        if offset + contacts.count < total { result["nextCursor"] = .string(String(offset + contacts.count)) }
        return .object(result)
    }

    /// The contact id a resource URI names, if it is one of ours.
    public static func contactId(in uri: String) -> String? {
        for scheme in [contactScheme, auditScheme] where uri.hasPrefix(scheme) {
            let id = String(uri.dropFirst(scheme.count))
            return id.isEmpty || id.contains("/") ? nil : id
        }
        return nil
    }

    /// The `resources/read` result for `uri`.
    ///
    /// - Throws: ``MCPErrors/resourceNotFound(_:)`` for a URI that is not ours or names no
    ///   contact; other errors as the gateway methods throw them.
    public func read(_ uri: String, context: RequestContext) async throws -> JSONValue {
        guard let contactId = Self.contactId(in: uri) else { throw MCPErrors.resourceNotFound(uri) }
        if uri.hasPrefix(Self.contactScheme) {
            do {
                let result = try await methods.call(
                    "contacts.get", params: ["contactId": .string(contactId)], context: context)
                let contact = result["contact"] ?? .null
                return [
                    "contents": [
                        [
                            "uri": .string(uri), "mimeType": "application/json",
                            "text": .string(contact.serializedString()),
                        ]
                    ]
                ]
            } catch let error as ContactsError where error.code == .contactNotFound {
                throw MCPErrors.resourceNotFound(uri)
            }
        }
        let page = try await methods.call(
            "audit.history", params: ["contactId": .string(contactId), "limit": .int(Self.pageSize)], context: context
        ).resolvingRaw()
        let entries = page["entries"]?.arrayValue ?? []
        guard !entries.isEmpty else { throw MCPErrors.resourceNotFound(uri) }
        let text = AuditLogText.render(contactId: contactId, entries: entries, more: page["nextCursor"] != nil)
        return [
            "contents": [
                ["uri": .string(uri), "mimeType": "text/plain", "text": .string(text)],
                ["uri": .string(uri), "mimeType": "application/json", "text": .string(page.serializedString())],
            ]
        ]
    }
}
