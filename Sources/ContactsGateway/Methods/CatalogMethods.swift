import JSONCore
import WixContacts

/// `labels.list`, `labels.findOrCreate`, `extendedFields.findOrCreate`: served by the backend's
/// service directly, since they change no contact and need no audit entry.
enum CatalogMethods {
    static func descriptors(backend: any ContactsBackend) -> [MethodDescriptor] {
        let label = objectSchema(["key": ["type": "string"], "displayName": ["type": "string"]])
        return [
            MethodDescriptor(
                name: "labels.list", summary: "Lists every label of the site, by key.", params: [],
                result: ResultSpec("LabelList", objectSchema(["labels": ["type": "array", "items": label]])),
                errors: [], hints: .readOnly
            ) { _, _ in
                ["labels": .array(try await backend.service.labels().map(\.json))]
            },
            MethodDescriptor(
                name: "labels.findOrCreate",
                summary: "Returns the label with this display name, creating it (custom.<slug>) if needed.",
                params: [.required("displayName", .string, "The label's display name.")],
                result: ResultSpec(
                    "LabelResult",
                    objectSchema(["label": label])
                ),
                errors: ["INVALID_ARGUMENT"], hints: .idempotentWrite
            ) { params, _ in
                ["label": try await backend.service.findOrCreateLabel(displayName: params.requiredString("displayName")).json]
            },
            MethodDescriptor(
                name: "labels.delete",
                summary:
                    "Deletes a label; every contact that has it loses it (an unlabel entry each, sharing one groupId).",
                params: [.required("key", .string, "The label's key."), MethodDescriptor.actorParam],
                result: ResultSpec(
                    "DeleteLabelResult", objectSchema(["groupId": ["type": "string"], "count": ["type": "integer"]])),
                errors: ["LABEL_NOT_FOUND"], hints: .destructive
            ) { params, context in
                let context = context.inGroup()
                let count = try await backend.deleteLabel(key: params.requiredString("key"), context: context)
                return ["groupId": .string(context.groupId ?? ""), "count": .int(count)]
            },
            MethodDescriptor(
                name: "extendedFields.list", summary: "Lists every extended field of the site, system ones included.",
                params: [],
                result: ResultSpec(
                    "ExtendedFieldList",
                    objectSchema([
                        "fields": [
                            "type": "array",
                            "items": objectSchema([
                                "key": ["type": "string"], "displayName": ["type": "string"],
                                "dataType": ["type": "string"],
                            ]),
                        ]
                    ])),
                errors: [], hints: .readOnly
            ) { _, _ in
                ["fields": .array(try await backend.service.extendedFields().map(\.json))]
            },
            MethodDescriptor(
                name: "extendedFields.findOrCreate",
                summary: "Returns the extended field with this display name, creating it (custom.<slug>) if needed.",
                params: [
                    .required("displayName", .string, "The field's display name."),
                    .required(
                        "dataType", .enumeration(["TEXT", "NUMBER", "DATE", "URL"]), "The type values must match."),
                ],
                result: ResultSpec(
                    "ExtendedFieldResult",
                    objectSchema([
                        "field": objectSchema([
                            "key": ["type": "string"], "displayName": ["type": "string"],
                            "dataType": ["type": "string"],
                        ])
                    ])
                ),
                errors: ["INVALID_ARGUMENT"], hints: .idempotentWrite
            ) { params, _ in
                let type = ExtendedFieldType(rawValue: params.requiredString("dataType")) ?? .text
                let field = try await backend.service.findOrCreateExtendedField(
                    displayName: params.requiredString("displayName"), dataType: type)
                return ["field": field.json]
            },
        ]
    }
}
