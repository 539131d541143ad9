import JSONCore
import WixContacts

/// `contacts.bulkUpdate`, `contacts.bulkDelete`, `contacts.bulkLabel`, `contacts.bulkUnlabel`:
/// one change per contact matching a filter, each audited, all sharing one `groupId` so
/// `contacts.undo {groupId}` reverts the lot.
///
/// Wix runs its bulk jobs out of sight, with no per-contact before and after; the gateway runs
/// them contact by contact through the same methods as single changes, so every change is
/// recorded and undoable on both backends. The matching contacts are listed first (a change may
/// change what matches), then changed in creation order, with `$/progress` as it goes.
enum BulkMethods {
    static func descriptors(backend: any ContactsBackend) -> [MethodDescriptor] {
        let labelKeys = ParamSpec.required(
            "labelKeys", .array, "Label keys (each must exist).", schema: stringArraySchema)
        return [
            bulk(
                "contacts.bulkUpdate", "Updates every contact matching the filter with the same partial info.",
                extra: [MethodDescriptor.infoParam], hints: .write, backend: backend
            ) { params in
                let patch = try ContactInfoPatch(json: params.value("info") ?? .null)
                return { id, context in
                    _ = try await backend.forceUpdate(
                        id: id, patch: patch, allowDuplicates: false, maxAttempts: 3, context: context)
                }
            },
            bulk(
                "contacts.bulkDelete", "Deletes every contact matching the filter (site members are skipped, as on Wix).",
                extra: [], hints: .destructive, backend: backend
            ) { _ in
                { id, context in _ = try await backend.delete(id: id, revision: nil, undoing: nil, context: context) }
            },
            bulk(
                "contacts.bulkLabel", "Adds labels to every contact matching the filter.", extra: [labelKeys],
                hints: .idempotentWrite, backend: backend
            ) { params in
                let keys = try stringList(params, "labelKeys")
                return { id, context in _ = try await backend.relabel(id: id, adding: keys, removing: [], context: context) }
            },
            bulk(
                "contacts.bulkUnlabel", "Removes labels from every contact matching the filter.", extra: [labelKeys],
                hints: .idempotentWrite, backend: backend
            ) { params in
                let keys = try stringList(params, "labelKeys")
                return { id, context in _ = try await backend.relabel(id: id, adding: [], removing: keys, context: context) }
            },
        ]
    }

    typealias Action = @Sendable (_ contactId: String, _ context: RequestContext) async throws -> Void

    /// Contacts listed per query page while collecting the matches.
    static let pageSize = 1000
    /// How often progress is reported, in contacts.
    static let progressEvery = 25

    private static func bulk(
        _ name: String, _ summary: String, extra: [ParamSpec], hints: MethodHints, backend: any ContactsBackend,
        action: @escaping @Sendable (MethodParams) throws -> Action
    ) -> MethodDescriptor {
        MethodDescriptor(
            name: name, summary: summary,
            params: [
                .required(
                    "filter", .object,
                    "A filter in the query language of contacts.query; {} matches every contact.")
            ] + extra + [
                .optional(
                    "dryRun", .boolean, "Only count the matching contacts (and list the first 100 ids); write nothing."),
                MethodDescriptor.actorParam,
            ],
            result: ResultSpec(
                "BulkResult",
                objectSchema([
                    "groupId": ["type": "string"], "count": ["type": "integer"], "matched": ["type": "integer"],
                    "failed": ["type": "array", "items": ["type": "object"]], "cancelled": ["type": "boolean"],
                    "contactIds": ["type": "array", "items": ["type": "string"]],
                ])),
            errors: ["INVALID_ARGUMENT", "LABEL_NOT_FOUND"], hints: hints
        ) { params, context in
            let act = try action(params)
            let ids = try await matchingIDs(backend, filter: params.objectValue("filter") ?? JSONObject())
            if params.bool("dryRun") ?? false {
                return ["matched": .int(ids.count), "contactIds": strings(Array(ids.prefix(100)))]
            }
            return try await run(act, on: ids, context: context.inGroup())
        }
    }

    /// Every contact matching `filter`, oldest first, listed before anything changes.
    private static func matchingIDs(_ backend: any ContactsBackend, filter: JSONObject) async throws -> [String] {
        var ids: [String] = []
        while true {
            let page = try await backend.query(
                ContactQuery(
                    filter: filter, sort: [ContactQuery.SortKey(fieldName: "createdDate")], limit: pageSize,
                    offset: ids.count))
            ids += page.contacts.map(\.id)
            if page.contacts.count < pageSize || ids.count >= page.total { return ids }
        }
    }

    /// Applies `action` to each contact. A contact that fails (a site member for a delete, a
    /// duplicate email for an update) is reported in `failed` and the rest go on; a cancelled
    /// request stops between contacts and reports what it did.
    private static func run(_ action: Action, on ids: [String], context: RequestContext) async throws -> JSONValue {
        var done = 0
        var failed: [JSONValue] = []
        var cancelled = false
        for (index, id) in ids.enumerated() {
            if Task.isCancelled {
                cancelled = true
                break
            }
            do {
                try await action(id, context)
                done += 1
            } catch let error as ContactsError {
                failed.append(
                    [
                        "contactId": .string(id), "applicationCode": .string(error.code.rawValue),
                        "message": .string(error.message),
                    ])
            } catch is CancellationError {
                cancelled = true
                break
            }
            if (index + 1) % progressEvery == 0 || index + 1 == ids.count {
                context.progress?.report(
                    ProgressUpdate(
                        completed: index + 1, total: ids.count,
                        message: "\(index + 1) of \(ids.count) contacts (\(failed.count) failed)"))
            }
        }
        var result: JSONObject = [
            "groupId": .string(context.groupId ?? ""), "count": .int(done), "matched": .int(ids.count),
            "failed": .array(failed),
        ]
        if cancelled { result["cancelled"] = true }
        return .object(result)
    }
}
