import ContactAudit
import Foundation
import JSONCore
import Testing
import WixContacts

/// What every ``AuditStore`` does, run on each engine: intents, settlement, undo links, history
/// paging and filters, groups, and intents left by a crash. A gateway cannot tell the engines
/// apart through the protocol.
@Suite struct AuditStoreContractTests {
    /// Runs `body` with a fresh, open log and closes and removes it after.
    func withLog(_ kind: AuditStoreKind, _ body: (AuditLocation, any AuditStore) async throws -> Void) async throws {
        let location = try await kind.makeLocation()
        defer { location.remove() }
        let store = try await location.open()
        do {
            try await body(location, store)
        } catch {
            await location.close(store)
            throw error
        }
        await location.close(store)
    }

    /// An update's intent, settled; returns its id.
    @discardableResult
    func change(
        _ store: any AuditStore, _ id: String, from revision: Int, company: String, operation: AuditOperation = .update,
        undoOf: Int64? = nil, groupId: String? = nil
    ) async throws -> Int64 {
        let auditId = try await store.recordIntent(
            AuditIntentRecord(
                contactId: id, operation: operation,
                before: Snapshots.contact(id, revision: revision, company: revision == 1 ? nil : "c\(revision)"),
                patch: Snapshots.patch(company: company), actor: "ada", requestId: "r\(revision)", undoOf: undoOf,
                links: AuditLinks(groupId: groupId)))
        try await store.settle(
            auditId, after: Snapshots.contact(id, revision: revision + 1, company: company), changedFields: ["company"])
        return auditId
    }

    @Test(arguments: AuditStoreKind.allCases)
    func anIntentIsInvisibleUntilSettled(kind: AuditStoreKind) async throws {
        try await withLog(kind) { _, store in
            let before = Snapshots.contact("c1", revision: 1, company: nil)
            let auditId = try await store.recordIntent(
                AuditIntentRecord(
                    contactId: "c1", operation: .update, before: before, patch: Snapshots.patch(company: "Wix"),
                    actor: "ada", requestId: "7"))
            #expect(try await store.count() == 0)
            await #expect(throws: ContactsError.self) { _ = try await store.entry(id: auditId) }
            #expect(try await store.history(AuditHistoryQuery()).entries.isEmpty)
            #expect(try await store.latestUndoable(contactId: "c1") == nil)

            let after = Snapshots.contact("c1", revision: 2, company: "Wix")
            try await store.settle(auditId, after: after, changedFields: ["company"])
            let entry = try await store.entry(id: auditId)
            #expect(entry.contactId == "c1")
            #expect(entry.operation == .update)
            #expect(entry.revisionBefore == 1 && entry.revisionAfter == 2)
            #expect(entry.before?.bytes == before.json.bytes)
            #expect(entry.after?.bytes == after.json.bytes)
            #expect(entry.changedFields == ["info.company"])
            #expect(entry.actor == "ada" && entry.requestId == "7")
            #expect(entry.timestamp.hasPrefix("2026-11-29T10:00:00."))
            #expect(try await store.count() == 1)
            #expect(await contactIdOffThePool(store, auditId) == "c1")
            #expect(await contactIdOffThePool(store, auditId + 1000) == nil)
        }
    }

    @Test(arguments: AuditStoreKind.allCases)
    func aDiscardedIntentLeavesNoEntry(kind: AuditStoreKind) async throws {
        try await withLog(kind) { _, store in
            let auditId = try await store.recordIntent(
                AuditIntentRecord(
                    contactId: "c1", operation: .update, before: Snapshots.contact("c1", revision: 1, company: nil),
                    patch: Snapshots.patch(company: "Wix"), actor: nil, requestId: nil))
            try await store.discard(auditId)
            #expect(try await store.count() == 0)
            #expect(try await store.pendingIntents().isEmpty)
            // The contact is free again: the next change records and settles.
            try await change(store, "c1", from: 1, company: "Wix")
            #expect(try await store.count() == 1)
        }
    }

    @Test(arguments: AuditStoreKind.allCases)
    func aCreateLearnsItsContactIdWhenSettled(kind: AuditStoreKind) async throws {
        try await withLog(kind) { _, store in
            let auditId = try await store.recordIntent(
                AuditIntentRecord(
                    contactId: "", operation: .create, before: nil, patch: Snapshots.patch(company: "Wix"), actor: "ada",
                    requestId: nil))
            try await store.settle(
                auditId, after: Snapshots.contact("new1", revision: 1, company: "Wix"), changedFields: ["name", "company"])
            let entry = try await store.entry(id: auditId)
            #expect(entry.contactId == "new1")
            #expect(entry.revisionBefore == nil && entry.before == nil)
            #expect(entry.changedFields == ["info.name", "info.company"])
            #expect(try await store.latestUndoable(contactId: "new1")?.auditId == auditId)
        }
    }

    @Test(arguments: AuditStoreKind.allCases)
    func undoLinksBothEntriesAndLatestUndoableWalksBack(kind: AuditStoreKind) async throws {
        try await withLog(kind) { _, store in
            let first = try await change(store, "c1", from: 1, company: "A")
            let second = try await change(store, "c1", from: 2, company: "B")
            #expect(try await store.latestUndoable(contactId: "c1")?.auditId == second)
            let undo = try await change(store, "c1", from: 3, company: "A", operation: .undo, undoOf: second)
            #expect(try await store.entry(id: second).undoneBy == undo)
            #expect(try await store.entry(id: undo).undoOf == second)
            #expect(try await store.latestUndoable(contactId: "c1")?.auditId == first)
        }
    }

    @Test(arguments: AuditStoreKind.allCases)
    func historyPagesAreStableWhileEntriesArrive(kind: AuditStoreKind) async throws {
        try await withLog(kind) { _, store in
            var revision = 1
            for index in 0..<25 {
                try await change(store, "c1", from: revision, company: "t\(index)")
                revision += 1
            }
            var seen: [Int64] = []
            var cursor: String?
            repeat {
                let page = try await store.history(AuditHistoryQuery(contactId: "c1", limit: 10, cursor: cursor))
                seen += page.entries.map(\.auditId)
                cursor = page.nextCursor
                try await change(store, "c1", from: revision, company: "late\(revision)")
                revision += 1
            } while cursor != nil
            #expect(seen == Array((1...25).reversed()))
            // The cursor is the same on every engine.
            let page = try await store.history(AuditHistoryQuery(limit: 2, descending: false))
            #expect(page.nextCursor == "djE6YToy")  // base64url("v1:a:2")
        }
    }

    @Test(arguments: AuditStoreKind.allCases)
    func historyFiltersByContactOperationGroupTimeAndOrder(kind: AuditStoreKind) async throws {
        try await withLog(kind) { _, store in
            try await change(store, "c1", from: 1, company: "A")
            try await change(store, "c2", from: 1, company: "B", operation: .forceUpdate, groupId: "g1")
            try await change(store, "c1", from: 2, company: "C", groupId: "g1")
            #expect(try await store.history(AuditHistoryQuery(operation: .forceUpdate)).entries.map(\.auditId) == [2])
            #expect(try await store.history(AuditHistoryQuery(contactId: "c1")).entries.map(\.auditId) == [3, 1])
            #expect(try await store.history(AuditHistoryQuery(groupId: "g1")).entries.map(\.auditId) == [3, 2])
            #expect(try await store.history(AuditHistoryQuery(descending: false)).entries.map(\.auditId) == [1, 2, 3])
            let second = try await store.entry(id: 2)
            let since = try #require(Timestamp.millisecondsSince1970(rfc3339: second.timestamp))
            #expect(try await store.history(AuditHistoryQuery(since: since)).entries.map(\.auditId) == [3, 2])
            #expect(try await store.history(AuditHistoryQuery(until: since)).entries.map(\.auditId) == [1])
            #expect(try await store.group("g1").map(\.auditId) == [2, 3])
            #expect(try await store.group("g1").first?.links.groupId == "g1")
            await #expect(throws: ContactsError.self) {
                _ = try await store.history(AuditHistoryQuery(cursor: "not-a-cursor"))
            }
        }
    }

    @Test(arguments: AuditStoreKind.allCases)
    func mergeLinksRoundTrip(kind: AuditStoreKind) async throws {
        try await withLog(kind) { _, store in
            let auditId = try await store.recordIntent(
                AuditIntentRecord(
                    contactId: "t1", operation: .merge, before: Snapshots.contact("t1", revision: 1, company: nil),
                    patch: Snapshots.patch(company: "M"), actor: nil, requestId: nil,
                    links: AuditLinks(groupId: "g", mergedFrom: ["s1", "s2"])))
            try await store.settle(auditId, after: Snapshots.contact("t1", revision: 2, company: "M"), changedFields: [])
            #expect(try await store.entry(id: auditId).links == AuditLinks(groupId: "g", mergedFrom: ["s1", "s2"]))
        }
    }

    /// A gateway that stopped between intent and settle leaves the intent for the next one: with
    /// the whole snapshot and patch to settle it by, and invisible until then.
    @Test(arguments: AuditStoreKind.allCases)
    func intentsLeftByAStoppedGatewayArePendingForTheNext(kind: AuditStoreKind) async throws {
        let location = try await kind.makeLocation()
        defer { location.remove() }
        let first = try await location.open(lease: .zero)
        let before = Snapshots.contact("c1", revision: 1, company: nil)
        let auditId = try await first.recordIntent(
            AuditIntentRecord(
                contactId: "c1", operation: .update, before: before, patch: Snapshots.patch(company: "Wix"),
                actor: "ada", requestId: "1", links: AuditLinks(groupId: "g")))
        await location.close(first)

        let next = try await location.open(lease: .zero)
        // PostgreSQL releases a closed session's contact lock a moment after the connection closes.
        var pending = try await next.pendingIntents()
        let deadline = ContinuousClock.now + .seconds(30)
        while pending.isEmpty && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            pending = try await next.pendingIntents()
        }
        #expect(pending.map(\.auditId) == [auditId])
        #expect(pending.first?.contactId == "c1")
        #expect(pending.first?.before?.json.bytes == before.json.bytes)
        #expect(pending.first?.before?.revision == 1)
        #expect(pending.first?.patch == Snapshots.patch(company: "Wix"))
        #expect(pending.first?.links.groupId == "g")
        try await next.settle(auditId, after: Snapshots.contact("c1", revision: 2, company: "Wix"), changedFields: ["company"])
        #expect(try await next.pendingIntents().isEmpty)
        #expect(try await next.count() == 1)
        await location.close(next)
    }

    @Test(arguments: AuditStoreKind.allCases)
    func runsListNewestFirstWithTheirChanges(kind: AuditStoreKind) async throws {
        try await withLog(kind) { _, store in
            let first = try await store.startRun(AuditRunStart(actor: "ada", pid: 11, host: "h1", version: "1"))
            let second = try await store.startRun(AuditRunStart(actor: "bob", pid: 12, host: "h2", version: "1"))
            #expect(try await store.startRun(AuditRunStart(actor: "ada", pid: 11, host: "h1", version: "1", runId: first)) == first)
            let auditId = try await store.recordIntent(
                AuditIntentRecord(
                    contactId: "c1", operation: .update, before: Snapshots.contact("c1", revision: 1, company: nil),
                    patch: Snapshots.patch(company: "A"), actor: "bob", requestId: nil, links: AuditLinks(runId: second)))
            try await store.settle(auditId, after: Snapshots.contact("c1", revision: 2, company: "A"), changedFields: ["company"])
            let page = try await store.runs(limit: 1, cursor: nil)
            #expect(page.runs.map(\.runId) == [second])
            #expect(page.runs.first?.changes == 1)
            #expect(page.runs.first?.pid == 12)
            let next = try await store.runs(limit: 1, cursor: page.nextCursor)
            #expect(next.runs.map(\.runId) == [first])
            #expect(next.nextCursor == nil)
            #expect(try await store.run(second).map(\.auditId) == [auditId])
            #expect(try await store.entry(id: auditId).links.runId == second)
        }
    }

    @Test(arguments: AuditStoreKind.allCases)
    func outsideChangesAreRecordedOnceAndOnlyForKnownContacts(kind: AuditStoreKind) async throws {
        try await withLog(kind) { _, store in
            try await change(store, "c1", from: 1, company: "A")
            let seen = Snapshots.contact("c1", revision: 5, company: "Outside")
            let ids = try await store.recordExternal([ExternalObservation(contactId: "c1", snapshot: seen)], runId: nil)
            #expect(ids.count == 1)
            let entry = try await store.entry(id: try #require(ids.first))
            #expect(entry.operation == .external)
            #expect(entry.revisionBefore == 2 && entry.revisionAfter == 5)
            #expect(entry.changedFields == ["info.company"])
            // The same state again, and a contact the log does not know: nothing.
            #expect(try await store.recordExternal([ExternalObservation(contactId: "c1", snapshot: seen)], runId: nil).isEmpty)
            #expect(
                try await store.recordExternal(
                    [ExternalObservation(contactId: "zz", snapshot: Snapshots.contact("zz", revision: 1, company: nil))],
                    runId: nil
                ).isEmpty)
            #expect(try await store.knownContactIds() == ["c1"])
            // Gone outside: recorded once, and no longer known.
            #expect(try await store.recordExternal([ExternalObservation(contactId: "c1", snapshot: nil)], runId: nil).count == 1)
            #expect(try await store.recordExternal([ExternalObservation(contactId: "c1", snapshot: nil)], runId: nil).isEmpty)
            #expect(try await store.knownContactIds().isEmpty)
        }
    }

    @Test(arguments: AuditStoreKind.allCases)
    func theHashChainCoversEverySettledEntry(kind: AuditStoreKind) async throws {
        try await withLog(kind) { _, store in
            try await change(store, "c1", from: 1, company: "A")
            let discarded = try await store.recordIntent(
                AuditIntentRecord(
                    contactId: "c1", operation: .update, before: Snapshots.contact("c1", revision: 2, company: "A"),
                    patch: Snapshots.patch(company: "no"), actor: nil, requestId: nil))
            try await store.discard(discarded)
            try await change(store, "c1", from: 2, company: "B")
            _ = try await store.recordExternal(
                [ExternalObservation(contactId: "c1", snapshot: Snapshots.contact("c1", revision: 9, company: "X"))],
                runId: nil)
            let verification = try await store.verify()
            #expect(verification.ok)
            #expect(verification.entries == 3)
            #expect(verification.headHash?.count == 64)
        }
    }
}

