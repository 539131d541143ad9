import JSONCore
import WixContacts

/// `contacts.delete`, `contacts.label`, `contacts.unlabel`, `contacts.previewMerge`,
/// `contacts.merge`: the rest of the Contacts v4 API, each change audited and undoable.
enum SurfaceMethods {
    static func descriptors(backend: any ContactsBackend) -> [MethodDescriptor] {
        let contact: JSONValue = ["$ref": "#/components/schemas/Contact"]
        let labelKeys = ParamSpec.required(
            "labelKeys", .array, "Label keys (each must exist: labels.list, labels.findOrCreate).",
            schema: stringArraySchema)
        let changeResult = objectSchema(["contact": contact, "auditId": ["type": "integer"]])
        return [
            MethodDescriptor(
                name: "contacts.delete",
                summary: "Deletes a contact; undo creates it again (with a new id, as Wix cannot restore ids).",
                params: [MethodDescriptor.contactIdParam, MethodDescriptor.actorParam],
                result: ResultSpec("DeleteResult", objectSchema(["auditId": ["type": "integer"]])),
                errors: ["CONTACT_NOT_FOUND", "CANNOT_DELETE_SITE_MEMBERS"], hints: .destructive,
                orderingKeys: MethodDescriptor.contactKey("contactId")
            ) { params, context in
                let auditId = try await backend.delete(
                    id: params.requiredString("contactId"), revision: nil, undoing: nil, context: context)
                return ["auditId": .int(Int(auditId))]
            },
            MethodDescriptor(
                name: "contacts.label", summary: "Adds labels to a contact (those it already has stay once).",
                params: [MethodDescriptor.contactIdParam, labelKeys, MethodDescriptor.actorParam],
                result: ResultSpec("LabelContactResult", changeResult),
                errors: ["CONTACT_NOT_FOUND", "LABEL_NOT_FOUND"], hints: .idempotentWrite,
                orderingKeys: MethodDescriptor.contactKey("contactId")
            ) { params, context in
                let outcome = try await backend.relabel(
                    id: params.requiredString("contactId"), adding: try stringList(params, "labelKeys"),
                    removing: [], context: context)
                return ["contact": .raw(outcome.snapshot.json), "auditId": .int(Int(outcome.auditId ?? 0))]
            },
            MethodDescriptor(
                name: "contacts.unlabel", summary: "Removes labels from a contact.",
                params: [MethodDescriptor.contactIdParam, labelKeys, MethodDescriptor.actorParam],
                result: ResultSpec("UnlabelContactResult", changeResult),
                errors: ["CONTACT_NOT_FOUND", "LABEL_NOT_FOUND"], hints: .idempotentWrite,
                orderingKeys: MethodDescriptor.contactKey("contactId")
            ) { params, context in
                let outcome = try await backend.relabel(
                    id: params.requiredString("contactId"), adding: [],
                    removing: try stringList(params, "labelKeys"), context: context)
                return ["contact": .raw(outcome.snapshot.json), "auditId": .int(Int(outcome.auditId ?? 0))]
            },
            MethodDescriptor(
                name: "contacts.previewMerge", summary: "The target contact as a merge would leave it; writes nothing.",
                params: [targetParam, sourcesParam],
                result: ResultSpec("PreviewMergeResult", objectSchema(["contact": contact])),
                errors: mergeErrors, hints: .readOnly, orderingKeys: mergeKeys
            ) { params, _ in
                let snapshot = try await backend.previewMerge(
                    targetId: params.requiredString("targetContactId"),
                    sourceIds: try stringList(params, "sourceContactIds"))
                return ["contact": .raw(snapshot.json)]
            },
            MethodDescriptor(
                name: "contacts.merge",
                summary:
                    "Merges source contacts into a target (their emails, phones, addresses and labels; the sources are deleted). Undoable as one group.",
                params: [
                    targetParam, sourcesParam,
                    .optional(
                        "targetContactRevision", .integer(minimum: 0, maximum: Int(Int32.max)),
                        "The target's revision; CONTACT_ALREADY_CHANGED when it moved on."),
                    MethodDescriptor.actorParam,
                ],
                result: ResultSpec(
                    "MergeResult",
                    objectSchema(["contact": contact, "auditId": ["type": "integer"], "groupId": ["type": "string"]])),
                errors: mergeErrors + ["CONTACT_ALREADY_CHANGED"], hints: .destructive, orderingKeys: mergeKeys
            ) { params, context in
                let context = context.inGroup()
                let outcome = try await backend.merge(
                    targetId: params.requiredString("targetContactId"),
                    sourceIds: try stringList(params, "sourceContactIds"),
                    targetRevision: params.int("targetContactRevision"), context: context)
                return [
                    "contact": .raw(outcome.snapshot.json), "auditId": .int(Int(outcome.auditId ?? 0)),
                    "groupId": .string(context.groupId ?? ""),
                ]
            },
        ]
    }

    static let targetParam = ParamSpec.required("targetContactId", .string, "The contact that receives the data.")
    static let sourcesParam = ParamSpec.required(
        "sourceContactIds", .array, "The contacts merged into the target, in order (deleted by a merge).",
        schema: stringArraySchema)
    static let mergeErrors = ["CONTACT_NOT_FOUND", "CANNOT_MERGE_SITE_MEMBERS", "INVALID_ARGUMENT"]

    /// A merge is ordered with its target and every source.
    static let mergeKeys: MethodDescriptor.OrderingKeys = { params in
        var keys = params?["targetContactId"]?.stringValue.map { ["contact:" + $0] } ?? []
        for id in params?["sourceContactIds"]?.arrayValue ?? [] {
            if let id = id.stringValue { keys.append("contact:" + id) }
        }
        return keys
    }
}

/// A non-empty array of non-empty strings, each once.
let stringArraySchema: JSONValue = [
    "type": "array", "items": ["type": "string", "minLength": 1], "minItems": 1, "uniqueItems": true,
]

/// The strings of an array param, checked as ``stringArraySchema`` says.
func stringList(_ params: MethodParams, _ name: String) throws(InvalidParamsError) -> [String] {
    let values = params.value(name)?.arrayValue ?? []
    let strings = values.compactMap(\.stringValue).filter { !$0.isEmpty }
    guard !values.isEmpty, strings.count == values.count, Set(strings).count == strings.count else {
        throw InvalidParamsError(
            field: name, message: "Param '\(name)' must be a non-empty array of distinct non-empty strings.")
    }
    return strings
}
