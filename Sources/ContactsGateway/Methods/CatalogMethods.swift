import JSONCore

/// `labels.findOrCreate`, `extendedFields.findOrCreate`.
enum CatalogMethods {
    static func descriptors(backend: any ContactsBackend) -> [MethodDescriptor] {
        [
            MethodDescriptor(
                name: "labels.findOrCreate",
                summary: "Returns the label with this display name, creating it (custom.<slug>) if needed.",
                params: [.required("displayName", .string, "The label's display name.")],
                result: ResultSpec(
                    "LabelResult",
                    objectSchema([
                        "label": objectSchema(["key": ["type": "string"], "displayName": ["type": "string"]])
                    ])
                ),
                errors: ["INVALID_ARGUMENT"], hints: .idempotentWrite
            ) { params, _ in
                ["label": try await backend.findOrCreateLabel(displayName: params.requiredString("displayName"))]
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
                [
                    "field": try await backend.findOrCreateExtendedField(
                        displayName: params.requiredString("displayName"), dataType: params.requiredString("dataType"))
                ]
            },
        ]
    }
}
