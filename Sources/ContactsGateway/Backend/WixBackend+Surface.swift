public import ContactAudit
import ContactStore
import Foundation
import JSONCore
public import WixContacts

extension WixBackend {
    // MARK: - Delete, labels, merge through the intent protocol

    public func delete(id: String, revision: Int?, undoing: Int64?, context: RequestContext) async throws -> Int64 {
        let before = try await get(id: id)
        if let revision, before.revision != revision {
            throw ContactsError.contactAlreadyChanged(currentRevision: before.revision)
        }
        let auditId = try await audit.recordIntent(
            AuditIntentRecord(
                contactId: id, operation: undoing == nil ? .delete : .undo, before: before,
                patch: RemoteIntent.delete.json, actor: context.actor, requestId: context.requestId, undoOf: undoing,
                links: context.auditLinks))
        do {
            try await client.deleteContact(id: id)
        } catch let error as ContactsError where error.httpStatus < 500 {
            try await audit.discard(auditId)
            throw error
        }
        // Any other failure leaves the intent to the next start, which looks at the site.
        cache.forget(id)
        try await audit.settle(auditId, after: nil, changedFields: [], restoredAs: false)
        return auditId
    }

    public func relabel(id: String, adding: [String], removing: [String], context: RequestContext) async throws
        -> WriteOutcome
    {
        let known = Set(try await client.labels().map(\.key))
        if let missing = (adding + removing).first(where: { !known.contains($0) }) {
            throw ContactsError(.labelNotFound, details: ["labelKey": .string(missing)])
        }
        let before = try await get(id: id)
        var labels = (try before.contact().info.labelKeys ?? []).filter { !removing.contains($0) }
        for key in adding where !labels.contains(key) { labels.append(key) }
        // Recorded as the update it amounts to, so a crash is settled like one.
        let expected = try ContactInfoPatch(json: ["labelKeys": ["items": .array(labels.map { .string($0) })]])
        return try await change(
            adding.isEmpty ? .unlabel : .label, id: id, before: before, recording: expected, context: context
        ) {
            adding.isEmpty
                ? try await client.unlabelContact(id: id, labelKeys: removing, sentAt: before.revision)
                : try await client.labelContact(id: id, labelKeys: adding, sentAt: before.revision)
        }
    }

    public func previewMerge(targetId: String, sourceIds: [String]) async throws -> ContactSnapshot {
        try MergeRules.checkIDs(targetId: targetId, sourceIds: sourceIds)
        return try await client.previewMerge(targetId: targetId, sourceIds: sourceIds)
    }

    /// One intent per source (`delete`, `mergedInto`) and one for the target (`merge`,
    /// `mergedFrom`), all in the request's group, then the remote merge, then each settled.
    public func merge(targetId: String, sourceIds: [String], targetRevision: Int?, context: RequestContext)
        async throws -> WriteOutcome
    {
        try MergeRules.checkIDs(targetId: targetId, sourceIds: sourceIds)
        let target = try await get(id: targetId)
        if let targetRevision, target.revision != targetRevision {
            throw ContactsError.contactAlreadyChanged(currentRevision: target.revision)
        }
        var intents: [(id: String, auditId: Int64)] = []
        for sourceId in sourceIds {
            let source = try await get(id: sourceId)
            if source.id != sourceId { throw ContactsError.contactNotFound(sourceId) }  // merged away already
            let auditId = try await audit.recordIntent(
                AuditIntentRecord(
                    contactId: sourceId, operation: .delete, before: source, patch: RemoteIntent.delete.json,
                    actor: context.actor, requestId: context.requestId,
                    links: {
                        var links = context.auditLinks; links.mergedInto = targetId; return links
                    }()))
            intents.append((sourceId, auditId))
        }
        let targetAuditId = try await audit.recordIntent(
            AuditIntentRecord(
                contactId: targetId, operation: .merge, before: target,
                patch: RemoteIntent.merge(sourceIds: sourceIds).json, actor: context.actor,
                requestId: context.requestId,
                links: {
                    var links = context.auditLinks; links.mergedFrom = sourceIds; return links
                }()))
        let after: ContactSnapshot
        do {
            after = try await client.mergeContacts(
                targetId: targetId, sourceIds: sourceIds, targetRevision: target.revision)
        } catch let error as ContactsError where error.httpStatus < 500 {
            for intent in intents { try await audit.discard(intent.auditId) }
            try await audit.discard(targetAuditId)
            throw error
        } catch {
            // Left for the next start, which looks at the site (``settle(_:_:)``).
            throw error
        }
        for intent in intents {
            cache.forget(intent.id)
            try await audit.settle(intent.auditId, after: nil, changedFields: [], restoredAs: false)
        }
        cache.remember(after)
        let changed = try after.contact().info.changedFields(comparedTo: target.contact().info)
        try await audit.settle(targetAuditId, after: after, changedFields: changed)
        return WriteOutcome(snapshot: after, auditId: targetAuditId, attempts: 1, changedFields: paths(changed))
    }

    /// Each contact with the label loses it first (an `unlabel` entry each, in the request's
    /// group), then the label is deleted.
    public func deleteLabel(key: String, context: RequestContext) async throws -> Int {
        guard try await client.labels().contains(where: { $0.key == key }) else {
            throw ContactsError(.labelNotFound, details: ["labelKey": .string(key)])
        }
        var count = 0
        let filter: JSONObject = ["info.labelKeys": ["$hasSome": .array([.string(key)])]]
        while true {
            // Each round's contacts lose the label, so the next round starts again at offset 0.
            let page = try await client.queryContacts(ContactQuery(filter: filter, limit: 100))
            if page.contacts.isEmpty { break }
            for contact in page.contacts {
                _ = try await relabel(id: contact.id, adding: [], removing: [key], context: context)
                count += 1
            }
        }
        try await client.deleteLabel(key: key)
        return count
    }

    public func recreate(
        _ before: ContactSnapshot, allowDuplicates: Bool, undoing: Int64, dryRun: Bool, context: RequestContext
    ) async throws -> WriteOutcome {
        let patch = try RecreatePatch.make(from: before)
        if dryRun {
            let lookups = try await knownLookups(for: patch, allowDuplicates: allowDuplicates)
            let contact = try rules.create(
                patch: patch, member: false, allowDuplicates: allowDuplicates, lookups: lookups)
            return WriteOutcome(
                snapshot: ContactSnapshot(contact: contact), auditId: nil, attempts: 1,
                changedFields: paths(contact.info.changedFields(comparedTo: ContactInfo())))
        }
        let auditId = try await audit.recordIntent(
            AuditIntentRecord(
                contactId: before.id, operation: .undo, before: nil,
                patch: RemoteIntent.recreate(info: .object(patch.json)).json, actor: context.actor,
                requestId: context.requestId, undoOf: undoing, links: context.auditLinks))
        let after: ContactSnapshot
        do {
            after = try await client.createContact(info: patch, allowDuplicates: allowDuplicates)
        } catch let error as ContactsError where error.httpStatus < 500 {
            try await audit.discard(auditId)
            throw error
        }
        cache.remember(after)
        let changed = try after.contact().info.changedFields(comparedTo: ContactInfo())
        try await audit.settle(auditId, after: after, changedFields: changed, restoredAs: true)
        return WriteOutcome(snapshot: after, auditId: auditId, attempts: 1, changedFields: paths(changed))
    }

    // MARK: - Settling

    /// Settles an intent of ``RemoteIntent`` kind left by a crash, by looking at the site.
    func settle(_ intent: AuditIntent, _ kind: RemoteIntent) async throws -> Bool {
        switch kind {
        case .delete:
            // Gone, or answered by another contact (merged into it): the delete happened.
            let current = try? await client.contact(id: intent.contactId)
            guard current == nil || current?.id != intent.contactId else { break }
            try await audit.settle(intent.auditId, after: nil, changedFields: [], restoredAs: false)
            return true
        case .merge(let sourceIds):
            guard let first = sourceIds.first, let source = try? await client.contact(id: first),
                source.id == intent.contactId
            else { break }
            let after = try await client.contact(id: intent.contactId)
            let changed = try intent.before.map {
                try after.contact().info.changedFields(comparedTo: $0.contact().info)
            }
            try await audit.settle(intent.auditId, after: after, changedFields: changed ?? [], restoredAs: false)
            return true
        case .recreate(let info):
            guard let patch = try? ContactInfoPatch(json: info),
                let created = try await client.createdContact(patch, since: intent.recordedAt)
            else { break }
            let changed = try created.contact().info.changedFields(comparedTo: ContactInfo())
            try await audit.settle(intent.auditId, after: created, changedFields: changed, restoredAs: true)
            return true
        }
        try await audit.discard(intent.auditId)
        return false
    }
}
