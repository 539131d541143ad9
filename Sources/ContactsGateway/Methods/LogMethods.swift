import ContactAudit
import JSONCore
import WixContacts

/// `audit.sync`, `audit.runs`, `audit.verify`: the log as a whole — what changed outside the
/// gateway, which processes wrote, and whether anything was edited behind its back.
enum LogMethods {
    static func descriptors(backend: any ContactsBackend) -> [MethodDescriptor] {
        [
            MethodDescriptor(
                name: "audit.sync",
                summary:
                    "Walks every contact and records outside changes and deletions of the contacts the log knows, as external entries.",
                params: [],
                result: ResultSpec(
                    "SyncResult",
                    objectSchema([
                        "scanned": ["type": "integer"], "external": ["type": "integer"], "deleted": ["type": "integer"],
                    ])),
                errors: [], hints: .idempotentWrite
            ) { _, context in
                try await sync(backend, progress: context.progress)
            },
            MethodDescriptor(
                name: "audit.runs", summary: "Lists runs (gateway processes that may write), newest first.",
                params: [
                    .optional("limit", .integer(minimum: 1, maximum: 1000), "Page size (default 50)."),
                    .optional("cursor", .string, "nextCursor from the previous page."),
                ],
                result: ResultSpec(
                    "RunsResult",
                    objectSchema([
                        "runs": ["type": "array", "items": ["type": "object"]], "nextCursor": ["type": "string"],
                    ])),
                errors: ["INVALID_ARGUMENT"], hints: .readOnly
            ) { params, _ in
                let page = try await backend.audit.runs(limit: params.int("limit") ?? 50, cursor: params.string("cursor"))
                var result: JSONObject = ["runs": .array(page.runs.map(\.json))]
                if let next = page.nextCursor { result["nextCursor"] = .string(next) }
                return .object(result)
            },
            MethodDescriptor(
                name: "audit.verify",
                summary: "Recomputes the audit log's hash chain: {ok, entries, headHash} or {ok: false, firstBadAuditId}.",
                params: [],
                result: ResultSpec(
                    "VerifyResult",
                    objectSchema([
                        "ok": ["type": "boolean"], "entries": ["type": "integer"], "headHash": ["type": "string"],
                        "firstBadAuditId": ["type": ["integer", "null"]], "reason": ["type": "string"],
                    ])),
                errors: [], hints: .readOnly
            ) { _, _ in
                verificationJSON(try await backend.audit.verify())
            },
        ]
    }

    static func verificationJSON(_ verification: AuditVerification) -> JSONValue {
        var result: JSONObject = ["ok": .bool(verification.ok), "entries": .int(verification.entries)]
        if let head = verification.headHash { result["headHash"] = .string(head) }
        if !verification.ok {
            result["firstBadAuditId"] = verification.firstBadAuditId.map { .int(Int($0)) } ?? .null
            if let reason = verification.reason { result["reason"] = .string(reason) }
        }
        return .object(result)
    }

    /// Pages through every contact (Query/List), records what changed outside, then reads each
    /// known contact that was not listed: a 404 records its deletion.
    static func sync(_ backend: any ContactsBackend, progress: ProgressReporter?) async throws -> JSONValue {
        var scanned = 0
        var external = 0
        var seen: Set<String> = []
        while true {
            let page = try await backend.service.queryContacts(
                ContactQuery(sort: [ContactQuery.SortKey(fieldName: "createdDate")], limit: 1000, offset: scanned))
            external += try await backend.observe(page.contacts)
            for contact in page.contacts { seen.insert(contact.id) }
            scanned += page.contacts.count
            progress?.report(
                ProgressUpdate(completed: scanned, total: page.total, message: "scanned \(scanned) of \(page.total)"))
            if page.contacts.count < 1000 || scanned >= page.total { break }
        }
        var deleted = 0
        for id in try await backend.audit.knownContactIds() where !seen.contains(id) {
            do {
                _ = try await backend.get(id: id)
            } catch let error as ContactsError where error.code == .contactNotFound {
                deleted += 1
            }
        }
        return ["scanned": .int(scanned), "external": .int(external), "deleted": .int(deleted)]
    }
}
