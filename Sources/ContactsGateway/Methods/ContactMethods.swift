import JSONCore
import WixContacts

/// `contacts.get`, `contacts.update`, `contacts.forceUpdate`, `contacts.create`.
enum ContactMethods {
    static func descriptors(backend: any ContactsBackend) -> [MethodDescriptor] {
        let contactResult: JSONValue = ["$ref": "#/components/schemas/Contact"]
        return [
            MethodDescriptor(
                name: "contacts.get", summary: "Reads one contact.",
                params: [MethodDescriptor.contactIdParam],
                result: ResultSpec("ContactResult", objectSchema(["contact": contactResult])),
                errors: ["CONTACT_NOT_FOUND"], hints: .readOnly, orderingKeys: MethodDescriptor.contactKey("contactId"),
                immediate: immediateGet(backend.capabilities.fastReader)
            ) { params, _ in
                let snapshot = try await backend.get(id: params.requiredString("contactId"))
                return ["contact": .raw(snapshot.json)]
            },
            MethodDescriptor(
                name: "contacts.update",
                summary:
                    "Updates a contact if `revision` is the stored one; with dryRun, reports the result without writing.",
                params: [
                    MethodDescriptor.contactIdParam, MethodDescriptor.infoParam,
                    .required(
                        "revision", .integer(minimum: 0, maximum: Int(Int32.max)), "The stored revision being updated."),
                    MethodDescriptor.allowDuplicatesParam,
                    .optional(
                        "dryRun", .boolean,
                        "Validate and return the would-be contact and changed fields; write nothing."),
                    MethodDescriptor.actorParam,
                ],
                result: ResultSpec(
                    "UpdateResult",
                    objectSchema([
                        "contact": contactResult, "auditId": ["type": "integer"],
                        "changedFields": ["type": "array", "items": ["type": "string"]],
                    ])
                ),
                errors: updateErrors, hints: .write, orderingKeys: MethodDescriptor.contactKey("contactId")
            ) { params, context in
                let dryRun = params.bool("dryRun") ?? false
                if dryRun && !backend.capabilities.supportsDryRun { throw unsupportedDryRun }
                let outcome = try await backend.update(
                    id: params.requiredString("contactId"), patch: try patch(params),
                    revision: params.int("revision") ?? 0, allowDuplicates: params.bool("allowDuplicates") ?? false,
                    dryRun: dryRun, context: context)
                return dryRun ? dryRunResult(outcome) : writeResult(outcome)
            },
            MethodDescriptor(
                name: "contacts.forceUpdate",
                summary: "Reads the latest revision, then updates; retries on CONTACT_ALREADY_CHANGED.",
                params: [
                    MethodDescriptor.contactIdParam, MethodDescriptor.infoParam, MethodDescriptor.allowDuplicatesParam,
                    .optional(
                        "maxAttempts", .integer(minimum: 1, maximum: 10), "Attempts before giving up (default 3)."),
                    MethodDescriptor.actorParam,
                ],
                result: ResultSpec(
                    "ForceUpdateResult",
                    objectSchema([
                        "contact": contactResult, "auditId": ["type": "integer"], "attempts": ["type": "integer"],
                    ])
                ),
                errors: updateErrors, hints: .write, orderingKeys: MethodDescriptor.contactKey("contactId")
            ) { params, context in
                let outcome = try await backend.forceUpdate(
                    id: params.requiredString("contactId"), patch: try patch(params),
                    allowDuplicates: params.bool("allowDuplicates") ?? false,
                    maxAttempts: params.int("maxAttempts") ?? 3,
                    context: context)
                return writeResult(outcome, attempts: true)
            },
            MethodDescriptor(
                name: "contacts.create", summary: "Creates a contact.",
                params: [
                    MethodDescriptor.infoParam, MethodDescriptor.allowDuplicatesParam,
                    .optional(
                        "member", .boolean, "Local backend only: mark the contact a site member (WIX_SITE_MEMBERS)."),
                    MethodDescriptor.actorParam,
                ],
                result: ResultSpec(
                    "CreateResult", objectSchema(["contact": contactResult, "auditId": ["type": "integer"]])),
                errors: [
                    "INVALID_ARGUMENT", "INVALID_EXTENDED_FIELD_VALUE", "CANNOT_HAVE_MULTIPLE_PRIMARY_INFO",
                    "INSUFFICIENT_CONTACT_DATA", "DUPLICATE_CONTACT_EXISTS",
                ],
                hints: .write
            ) { params, context in
                let member = params.bool("member") ?? false
                if member && !backend.capabilities.supportsMembers {
                    throw InvalidParamsError(
                        field: "member", message: "Param 'member' is only supported by the local backend.")
                }
                let outcome = try await backend.create(
                    patch: try createPatch(params),
                    allowDuplicates: params.bool("allowDuplicates") ?? false, member: member, context: context)
                return writeResult(outcome)
            },
        ]
    }

    // The results are built in functions of their own (not inlined), not in the async method
    // closures, whose frames the task allocates for every request.

    /// `{"contact", "auditId"}`, and `"attempts"` when asked (`contacts.forceUpdate`).
    @inline(never)
    private static func writeResult(_ outcome: WriteOutcome, attempts: Bool = false) -> JSONValue {
        var result: JSONObject = ["contact": .raw(outcome.snapshot.json), "auditId": .int(Int(outcome.auditId ?? 0))]
        if attempts { result.appendUnchecked("attempts", .int(outcome.attempts)) }
        return .object(result)
    }

    /// A dry run's `{"contact", "changedFields"}`.
    @inline(never)
    private static func dryRunResult(_ outcome: WriteOutcome) -> JSONValue {
        ["contact": .raw(outcome.snapshot.json), "changedFields": strings(outcome.changedFields)]
    }

    /// A dry run asked of a backend that cannot compute one.
    static let unsupportedDryRun = InvalidParamsError(
        field: "dryRun", message: "Param 'dryRun' is not supported by this backend.")

    static let updateErrors = [
        "CONTACT_NOT_FOUND", "CONTACT_ALREADY_CHANGED", "INVALID_ARGUMENT", "INVALID_EXTENDED_FIELD_VALUE",
        "CANNOT_HAVE_MULTIPLE_PRIMARY_INFO", "INSUFFICIENT_UPDATE_CONTACT_DATA", "INSUFFICIENT_CONTACT_DATA",
        "DUPLICATE_CONTACT_EXISTS", "CANNOT_UPDATE_MEMBER_EMAIL",
    ]

    /// `contacts.get` answered from a reader that never waits, when the backend has one.
    private static func immediateGet(_ reader: (any FastContactReader)?) -> MethodDescriptor.ImmediateHandler? {
        guard let reader else { return nil }
        return { params in
            guard let snapshot = try reader.snapshotImmediately(id: params.requiredString("contactId")) else {
                return nil
            }
            return ["contact": .raw(snapshot.json)]
        }
    }

    private static func patch(_ params: MethodParams) throws(ContactsError) -> ContactInfoPatch {
        try ContactInfoPatch(json: params.value("info") ?? .null)
    }

    /// A create with an empty `info` has no name, email or phone: `INSUFFICIENT_CONTACT_DATA`.
    private static func createPatch(_ params: MethodParams) throws(ContactsError) -> ContactInfoPatch {
        if params.objectValue("info")?.isEmpty == true { throw ContactsError(.insufficientContactData) }
        return try patch(params)
    }
}

/// A JSON Schema object with these properties.
func objectSchema(_ properties: JSONObject) -> JSONValue {
    ["type": "object", "properties": .object(properties)]
}

/// `["a", "b"]` as JSON.
func strings(_ values: [String]) -> JSONValue {
    .array(values.map { .string($0) })
}
