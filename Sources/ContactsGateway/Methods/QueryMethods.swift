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
                        "Field paths (info.name.first, info.name.last, info.company, info.emails.email, info.phones.phone, primaryInfo.email, primaryInfo.phone, info.labelKeys, createdDate, updatedDate) to values or operators ($eq, $ne, $in, $startsWith, $exists, $gt, $gte, $lt, $lte), combined with $and/$or. Dates compare as instants: an RFC 3339 date-time, a date alone (midnight UTC) or milliseconds since 1970."
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
        var object = JSONObject()
        for name in ["filter", "sort", "paging"] {
            if let value = params.value(name) { object[name] = value }
        }
        do {
            // The gateway's own params: a member the query language does not have is a typo.
            return try ContactQuery(json: object, rejectingUnknownMembers: true)
        } catch {
            throw InvalidParamsError(field: error.field, message: "Param " + error.message)
        }
    }
}
