import JSONCore
import WixContacts

/// `contacts.query`.
enum QueryMethods {
    static func descriptors(backend: any ContactsBackend) -> [MethodDescriptor] {
        [
            MethodDescriptor(
                name: "contacts.query",
                summary: "Finds contacts with Wix's query language: filter, sort, paging.",
                params: [
                    .optional(
                        "filter", .object,
                        "Field paths (info.name.first, info.name.last, info.company, info.emails.email, primaryInfo.email, primaryInfo.phone, info.labelKeys, createdDate, updatedDate) to values or operators ($eq, $ne, $in, $startsWith, $exists, $gt, $gte, $lt, $lte), combined with $and/$or."
                    ),
                    .optional(
                        "sort", .array, "[{ fieldName, order: ASC | DESC }]",
                        schema: [
                            "type": "array",
                            "items": objectSchema([
                                "fieldName": ["type": "string"], "order": ["type": "string", "enum": ["ASC", "DESC"]],
                            ]),
                        ]),
                    .optional(
                        "paging", .object, "{ limit (1-1000, default 50), offset (default 0) }",
                        schema: objectSchema([
                            "limit": ["type": "integer", "minimum": 1, "maximum": 1000],
                            "offset": ["type": "integer", "minimum": 0],
                        ])),
                ],
                result: ResultSpec(
                    "QueryResult",
                    objectSchema([
                        "contacts": ["type": "array", "items": ["$ref": "#/components/schemas/Contact"]],
                        "pagingMetadata": objectSchema([
                            "count": ["type": "integer"], "offset": ["type": "integer"], "total": ["type": "integer"],
                        ]),
                    ])
                ),
                errors: ["INVALID_ARGUMENT"], hints: .readOnly
            ) { params, _ in
                let page = try await backend.query(try query(params))
                return [
                    "contacts": .array(page.contacts.map { .raw($0.json) }),
                    "pagingMetadata": [
                        "count": .int(page.count), "offset": .int(page.offset), "total": .int(page.total),
                    ],
                ]
            }
        ]
    }

    /// Checks `sort` and `paging` members; an ``InvalidParamsError`` names the member
    /// (`paging.limit`).
    static func query(_ params: MethodParams) throws(InvalidParamsError) -> ContactQuery {
        var query = ContactQuery(filter: params.objectValue("filter") ?? JSONObject())
        if let paging = params.objectValue("paging") {
            for (key, value) in paging {
                switch key {
                case "limit":
                    guard case .int(let limit) = value, (1...ContactQuery.maximumLimit).contains(limit) else {
                        throw InvalidParamsError(
                            field: "paging.limit", message: "Param 'paging.limit' must be an integer from 1 to 1000.")
                    }
                    query.limit = limit
                case "offset":
                    guard case .int(let offset) = value, offset >= 0 else {
                        throw InvalidParamsError(
                            field: "paging.offset", message: "Param 'paging.offset' must be a non-negative integer.")
                    }
                    query.offset = offset
                default:
                    throw InvalidParamsError(field: "paging.\(key)", message: "Unknown param 'paging.\(key)'.")
                }
            }
        }
        for (index, element) in (params.value("sort")?.arrayValue ?? []).enumerated() {
            let path = "sort[\(index)]"
            guard let object = element.objectValue, let field = object["fieldName"]?.stringValue else {
                throw InvalidParamsError(field: path, message: "Param '\(path)' must be { fieldName, order }.")
            }
            let order = object["order"]?.stringValue ?? "ASC"
            guard order == "ASC" || order == "DESC", object.keys.allSatisfy({ $0 == "fieldName" || $0 == "order" })
            else {
                throw InvalidParamsError(field: path + ".order", message: "Param '\(path).order' must be ASC or DESC.")
            }
            query.sort.append(ContactQuery.SortKey(fieldName: field, ascending: order == "ASC"))
        }
        return query
    }
}
