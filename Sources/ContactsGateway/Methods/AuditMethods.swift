import ContactAudit
import JSONCore
import WixContacts

/// `contacts.undo`, `audit.history`, `audit.get`.
enum AuditMethods {
    static func descriptors(backend: any ContactsBackend) -> [MethodDescriptor] {
        let entrySchema: JSONValue = ["$ref": "#/components/schemas/AuditEntry"]
        return [
            MethodDescriptor(
                name: "contacts.undo",
                summary:
                    "Reverts one audit entry (by auditId, or the latest change to contactId) or a whole group (groupId): updates restore the prior info, deletes recreate the contact, creates delete it, merges revert the target and recreate the sources.",
                params: [
                    .optional("auditId", .integer(minimum: 1, maximum: Int.max), "The entry to undo."),
                    .optional(
                        "contactId", .string,
                        "Undo the latest change to this contact that is not an undo and not yet undone."),
                    .optional(
                        "groupId", .string,
                        "Undo every entry of this group (a merge, a bulk call, a label deletion), newest first."),
                    .optional("runId", .string, "Undo every change one gateway process (run) made, newest first."),
                    .optional(
                        "mode", .enumeration(["strict", "force"]),
                        "strict (default) refuses when a field changed since; force restores regardless."),
                    .optional("dryRun", .boolean, "Report what would be written and any conflicts; write nothing."),
                    MethodDescriptor.actorParam,
                ],
                result: ResultSpec(
                    "UndoResult",
                    objectSchema([
                        "contact": ["$ref": "#/components/schemas/Contact"], "auditId": ["type": "integer"],
                        "undid": ["type": "integer"], "changedFields": ["type": "array", "items": ["type": "string"]],
                        "conflicts": ["type": "array", "items": ["type": "object"]],
                        "groupId": ["type": "string"], "runId": ["type": "string"], "undoGroupId": ["type": "string"],
                        "reverted": ["type": "array", "items": ["type": "object"]],
                        "alreadyUndone": ["type": "array", "items": ["type": "integer"]],
                    ])
                ),
                errors: ["AUDIT_ENTRY_NOT_FOUND", "CONTACT_NOT_FOUND", "UNDO_CONFLICT", "UNDO_NOT_SUPPORTED"]
                    + ContactMethods.updateErrors,
                hints: .write, orderingKeys: undoKeys(backend: backend)
            ) { params, context in
                let given = ["auditId", "contactId", "groupId", "runId"].filter { params.contains($0) }
                guard given.count == 1 else {
                    throw InvalidParamsError(
                        field: given.first ?? "auditId",
                        message: given.isEmpty
                            ? "Missing param 'auditId' (or 'contactId', 'groupId', 'runId')."
                            : "Pass only one of 'auditId', 'contactId', 'groupId' and 'runId'.")
                }
                let dryRun = params.bool("dryRun") ?? false
                if dryRun && !backend.capabilities.supportsDryRun { throw ContactMethods.unsupportedDryRun }
                let mode = UndoMode(rawValue: params.string("mode") ?? "strict") ?? .strict
                let coordinator = UndoCoordinator(backend: backend)
                if let runId = params.string("runId") {
                    return try await coordinator.undoAll(.run(runId), mode: mode, dryRun: dryRun, context: context).json
                }
                let target: UndoTarget =
                    params.int("auditId").map { .auditId(Int64($0)) }
                    ?? .latestChange(contactId: params.requiredString("contactId"))
                // A group, or an entry of a merge (which is undone whole: target and sources).
                var groupId = params.string("groupId")
                if groupId == nil, let entry = try? await coordinator.entry(for: target), entry.operation == .merge {
                    groupId = entry.links.groupId
                }
                if let groupId {
                    return try await coordinator.undoAll(.group(groupId), mode: mode, dryRun: dryRun, context: context)
                        .json
                }
                let outcome = try await coordinator.undo(target: target, mode: mode, dryRun: dryRun, context: context)
                if dryRun {
                    return [
                        "contact": .raw(outcome.snapshot.json), "changedFields": strings(outcome.changedFields),
                        "conflicts": .array(outcome.conflicts.map(\.json)), "undid": .int(Int(outcome.undid)),
                    ]
                }
                return [
                    "contact": .raw(outcome.snapshot.json), "auditId": .int(Int(outcome.auditId ?? 0)),
                    "undid": .int(Int(outcome.undid)),
                ]
            },
            MethodDescriptor(
                name: "audit.history", summary: "Pages through the audit log, newest first by default.",
                params: [
                    .optional("contactId", .string, "Only this contact's entries."),
                    .optional("groupId", .string, "Only this group's entries (a merge, a bulk call, a group undo)."),
                    .optional("runId", .string, "Only the entries of this run (one gateway process)."),
                    .optional("operation", .enumeration(AuditOperation.all.map(\.rawValue)), "Only this operation."),
                    .optional("since", .string, "Only entries at or after this RFC 3339 time."),
                    .optional("until", .string, "Only entries before this RFC 3339 time."),
                    .optional(
                        "limit", .integer(minimum: 1, maximum: AuditHistoryQuery.maximumLimit),
                        "Page size (default 50)."),
                    .optional("cursor", .string, "nextCursor from the previous page."),
                    .optional("order", .enumeration(["desc", "asc"]), "desc (default) or asc."),
                ],
                result: ResultSpec(
                    "HistoryResult",
                    objectSchema([
                        "entries": ["type": "array", "items": entrySchema], "nextCursor": ["type": "string"],
                    ])
                ),
                errors: ["INVALID_ARGUMENT"], hints: .readOnly,
                orderingKeys: MethodDescriptor.contactKey("contactId")
            ) { params, _ in
                var query = AuditHistoryQuery(
                    contactId: params.string("contactId"), groupId: params.string("groupId"), runId: params.string("runId"),
                    operation: params.string("operation").map(AuditOperation.init(rawValue:)),
                    limit: params.int("limit") ?? 50, cursor: params.string("cursor"),
                    descending: (params.string("order") ?? "desc") == "desc")
                query.since = try time(params, "since")
                query.until = try time(params, "until")
                let page = try await backend.audit.history(query)
                var result: JSONObject = ["entries": .array(page.entries.map(\.json))]
                if let next = page.nextCursor { result["nextCursor"] = .string(next) }
                return .object(result)
            },
            MethodDescriptor(
                name: "audit.get", summary: "Reads one audit entry.",
                params: [.required("auditId", .integer(minimum: 1, maximum: Int.max), "The entry's id.")],
                result: ResultSpec("AuditEntryResult", objectSchema(["entry": entrySchema])),
                errors: ["AUDIT_ENTRY_NOT_FOUND"], hints: .readOnly
            ) { params, _ in
                ["entry": try await backend.audit.entry(id: Int64(params.int("auditId") ?? 0)).json]
            },
        ]
    }

    /// An undo by `contactId` is ordered with that contact; one by `auditId` with the entry's
    /// contact, looked up here (a short read) so it also waits for that contact's earlier
    /// requests.
    private static func undoKeys(backend: any ContactsBackend) -> MethodDescriptor.OrderingKeys {
        let byContact = MethodDescriptor.contactKey("contactId")
        return { params in
            let keys = byContact(params)
            guard keys.isEmpty, let auditId = params?["auditId"]?.intValue,
                let contactId = backend.audit.contactId(ofEntry: Int64(auditId))
            else { return keys }
            return ["contact:" + contactId]
        }
    }

    private static func time(_ params: MethodParams, _ name: String) throws(InvalidParamsError) -> Int64? {
        guard let text = params.string(name) else { return nil }
        guard let millis = Timestamp.millisecondsSince1970(rfc3339: text) else {
            throw InvalidParamsError(
                field: name, message: "Param '\(name)' must be an RFC 3339 time such as 2026-11-29T10:00:00Z.")
        }
        return millis
    }
}
