import Foundation
import JSONCore

extension WixContactsClient {
    // MARK: - Delete, labels, merge

    /// `DELETE /contacts/v4/contacts/{id}`. A delete whose answer is lost is settled by reading
    /// the contact: gone means deleted; still there, the delete is sent again.
    public func deleteContact(id: String) async throws {
        var attempts = 0
        while true {
            attempts += 1
            do {
                _ = try await perform("DELETE", "contacts/v4/contacts/\(Self.escape(id))", body: nil, idempotent: false)
                return
            } catch let unknown as OutcomeUnknown {
                try await configuration.clock.sleep(for: backoff(attempt: attempts))
                do {
                    _ = try await contact(id: id)
                } catch let error as ContactsError where error.code == .contactNotFound {
                    return
                }
                guard attempts <= configuration.maxRetries else {
                    throw ContactsError(
                        .unavailable, httpStatus: unknown.status ?? 503,
                        message: "The Wix API did not delete the contact; it still exists.")
                }
            }
        }
    }

    /// `POST /contacts/v4/contacts/{id}/labels`. A call whose answer is lost is settled by
    /// reading the contact: holding every label, it landed (sending it again would move the
    /// revision twice); otherwise it is sent again.
    public func labelContact(id: String, labelKeys: [String]) async throws -> ContactSnapshot {
        try await labelContact(id: id, labelKeys: labelKeys, sentAt: nil)
    }

    /// ``labelContact(id:labelKeys:)`` for a contact read at `revision`: a lost answer is
    /// settled only once the contact is past it too. Labels it already held prove nothing
    /// (Wix moves the revision on every call, so a call that never arrived looks like one that
    /// changed nothing).
    public func labelContact(id: String, labelKeys: [String], sentAt revision: Int?) async throws -> ContactSnapshot {
        try await relabel(id: id, labelKeys: labelKeys, adding: true, sentAt: revision) {
            try await perform(
                "POST", "contacts/v4/contacts/\(Self.escape(id))/labels",
                body: ["labelKeys": .array(labelKeys.map { .string($0) })], idempotent: false)
        }
    }

    /// `DELETE /contacts/v4/contacts/{id}/labels?labelKeys=…`, settled like ``labelContact(id:labelKeys:)``.
    public func unlabelContact(id: String, labelKeys: [String]) async throws -> ContactSnapshot {
        try await unlabelContact(id: id, labelKeys: labelKeys, sentAt: nil)
    }

    /// ``unlabelContact(id:labelKeys:)``, settled like ``labelContact(id:labelKeys:sentAt:)``.
    public func unlabelContact(id: String, labelKeys: [String], sentAt revision: Int?) async throws
        -> ContactSnapshot
    {
        try await relabel(id: id, labelKeys: labelKeys, adding: false, sentAt: revision) {
            try await perform(
                "DELETE", "contacts/v4/contacts/\(Self.escape(id))/labels",
                query: labelKeys.map { URLQueryItem(name: "labelKeys", value: $0) }, body: nil, idempotent: false)
        }
    }

    private func relabel(
        id: String, labelKeys: [String], adding: Bool, sentAt revision: Int?, send: () async throws -> JSONValue
    ) async throws -> ContactSnapshot {
        var attempts = 0
        while true {
            attempts += 1
            do {
                return try Self.snapshot(try await send()["contact"])
            } catch let unknown as OutcomeUnknown {
                try await configuration.clock.sleep(for: backoff(attempt: attempts))
                let current = try await contact(id: id)
                let held = Set(try current.contact().info.labelKeys ?? [])
                let moved = revision.map { current.revision > $0 } ?? true
                if moved, adding ? held.isSuperset(of: labelKeys) : held.isDisjoint(with: labelKeys) { return current }
                guard attempts <= configuration.maxRetries else {
                    throw ContactsError(
                        .unavailable, httpStatus: unknown.status ?? 503,
                        message: "The Wix API did not change the contact's labels.")
                }
            }
        }
    }

    /// `POST /contacts/v4/contacts/{targetId}/preview-merge`.
    public func previewMerge(targetId: String, sourceIds: [String]) async throws -> ContactSnapshot {
        let response = try await perform(
            "POST", "contacts/v4/contacts/\(Self.escape(targetId))/preview-merge",
            body: ["sourceContactIds": .array(sourceIds.map { .string($0) })], idempotent: true)
        return try Self.snapshot(response["contact"])
    }

    /// `POST /contacts/v4/contacts/{targetId}/merge`. A merge whose answer is lost is settled by
    /// reading the first source: a get of a merged source answers the target, so the merge
    /// landed; otherwise it is sent again.
    public func mergeContacts(targetId: String, sourceIds: [String], targetRevision: Int?) async throws
        -> ContactSnapshot
    {
        var body: JSONObject = ["sourceContactIds": .array(sourceIds.map { .string($0) })]
        if let targetRevision { body["targetContactRevision"] = .int(targetRevision) }
        var attempts = 0
        while true {
            attempts += 1
            do {
                let response = try await perform(
                    "POST", "contacts/v4/contacts/\(Self.escape(targetId))/merge", body: .object(body),
                    idempotent: false)
                return try Self.snapshot(response["contact"])
            } catch let unknown as OutcomeUnknown {
                try await configuration.clock.sleep(for: backoff(attempt: attempts))
                if let first = sourceIds.first, try await contact(id: first).id == targetId {
                    return try await contact(id: targetId)
                }
                guard attempts <= configuration.maxRetries else {
                    throw ContactsError(
                        .unavailable, httpStatus: unknown.status ?? 503,
                        message: "The Wix API did not merge the contacts; nothing was merged.")
                }
            }
        }
    }

    /// `DELETE /contacts/v4/labels/{key}`. After a lost answer, a label that is gone was deleted.
    public func deleteLabel(key: String) async throws {
        do {
            _ = try await perform("DELETE", "contacts/v4/labels/\(Self.escape(key))", body: nil, idempotent: false)
        } catch is OutcomeUnknown {
            if try await labels().contains(where: { $0.key == key }) {
                _ = try await perform(
                    "DELETE", "contacts/v4/labels/\(Self.escape(key))", body: nil, idempotent: true)
            }
        }
    }

    /// List Contacts' URL parameters: `paging.limit`, `paging.offset`, `sort.fieldName`,
    /// `sort.order` (`ASC`/`DESC`).
    static func listParameters(_ query: ContactQuery) -> [URLQueryItem] {
        var items = [
            URLQueryItem(name: "paging.limit", value: String(query.limit)),
            URLQueryItem(name: "paging.offset", value: String(query.offset)),
        ]
        if let sort = query.sort.first {
            items.append(URLQueryItem(name: "sort.fieldName", value: sort.fieldName))
            items.append(URLQueryItem(name: "sort.order", value: sort.ascending ? "ASC" : "DESC"))
        }
        return items
    }
}
