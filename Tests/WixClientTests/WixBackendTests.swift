import ContactAudit
import ContactsGateway
import Foundation
import JSONCore
import JSONRPC
import Logging
import Testing
import WixContacts
import WixEmulator

/// The gateway's `wix` backend over the REST client and the real emulator: audit intents,
/// settlement, remote call counts.
@Suite struct WixBackendTests {
    /// Runs `body` with a backend whose audit lives in a fresh temporary file.
    private func withBackend<T>(_ body: (WixBackend, ClientHarness, String) async throws -> T) async throws -> T {
        try await ClientHarness.with { harness in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "wix-backend-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let auditPath = directory.appendingPathComponent("audit.sqlite").path
            let backend = try makeBackend(harness, auditPath: auditPath)
            return try await body(backend, harness, auditPath)
        }
    }

    private func makeBackend(_ harness: ClientHarness, auditPath: String) throws -> WixBackend {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try WixBackend(
            client: harness.client, baseURL: harness.running.baseURL, auditPath: auditPath,
            clock: { Int64(Date().timeIntervalSince1970 * 1000) }, logger: logger)
    }

    private let context = RequestContext(actor: "tester", requestId: "1")

    @Test func anUpdateAtAKnownRevisionNeedsNoExtraRead() async throws {
        try await withBackend { backend, harness, _ in
            let created = try await backend.create(
                patch: patch(["name": ["first": "A"]]), allowDuplicates: false, member: false, context: context)
            let updated = try await backend.update(
                id: created.snapshot.id, patch: patch(["company": "W"]), revision: 1, allowDuplicates: false,
                dryRun: false, context: context)
            #expect(updated.snapshot.revision == 2)
            #expect(await harness.count("GET /contacts/v4/contacts/{id}") == 0)
            #expect(await harness.count("PATCH /contacts/v4/contacts/{id}") == 1)
            let entry = try await backend.audit.entry(id: try #require(updated.auditId))
            #expect(entry.revisionBefore == 1 && entry.revisionAfter == 2)
            #expect(entry.changedFields == ["info.company"])
            #expect(try await backend.audit.count() == 2)
        }
    }

    @Test func aFailedRemoteUpdateLeavesNoEntry() async throws {
        try await withBackend { backend, harness, _ in
            let created = try await backend.create(
                patch: patch(["name": ["first": "A"]]), allowDuplicates: false, member: false, context: context)
            _ = try await harness.client.updateContact(
                id: created.snapshot.id, patch: patch(["company": "X"]), revision: 1, allowDuplicates: false)
            await #expect(throws: ContactsError.self) {
                _ = try await backend.update(
                    id: created.snapshot.id, patch: patch(["company": "W"]), revision: 1, allowDuplicates: false,
                    dryRun: false,
                    context: context)
            }
            #expect(try await backend.audit.count() == 1)
            #expect(try await backend.audit.pendingIntents().isEmpty)
        }
    }

    @Test func forceUpdateRetriesAfterSomeoneElseChangedTheContact() async throws {
        try await withBackend { backend, harness, _ in
            let created = try await backend.create(
                patch: patch(["name": ["first": "A"]]), allowDuplicates: false, member: false, context: context)
            _ = try await harness.client.updateContact(
                id: created.snapshot.id, patch: patch(["company": "X"]), revision: 1, allowDuplicates: false)
            let outcome = try await backend.forceUpdate(
                id: created.snapshot.id, patch: patch(["jobTitle": "CTO"]), allowDuplicates: false, maxAttempts: 3,
                context: context)
            #expect(outcome.attempts == 2)
            #expect(outcome.snapshot.revision == 3)
        }
    }

    @Test func anIntentWhoseChangeLandedIsSettledAtTheNextStart() async throws {
        try await withBackend { backend, harness, auditPath in
            let created = try await backend.create(
                patch: patch(["name": ["first": "A"]]), allowDuplicates: false, member: false, context: context)
            // A crash after the PATCH reached Wix but before the entry was settled:
            let auditId = try await backend.audit.recordIntent(
                AuditIntentRecord(
                    contactId: created.snapshot.id, operation: .update, before: created.snapshot,
                    patch: ["company": "W"], actor: "tester", requestId: "2"))
            _ = try await harness.client.updateContact(
                id: created.snapshot.id, patch: patch(["company": "W"]), revision: 1, allowDuplicates: false)
            await #expect(throws: ContactsError.self) { _ = try await backend.audit.entry(id: auditId) }

            let restarted = try makeBackend(harness, auditPath: auditPath)
            try await restarted.settlePendingIntents()
            let entry = try await restarted.audit.entry(id: auditId)
            #expect(entry.revisionAfter == 2)
            #expect(entry.changedFields == ["info.company"])
            #expect(try entry.afterContact()?.info.company == "W")
        }
    }

    @Test func aCreateIntentWhoseContactWasMadeIsSettledWithItAtTheNextStart() async throws {
        try await withBackend { backend, harness, auditPath in
            let info: JSONValue = ["name": ["first": "Crash"], "emails": ["items": [["email": "crash@example.com"]]]]
            // A crash after the POST reached Wix but before the entry was settled:
            let auditId = try await backend.audit.recordIntent(
                AuditIntentRecord(
                    contactId: "", operation: .create, before: nil, patch: info, actor: "tester", requestId: "1"))
            let made = try await harness.client.createContact(info: patch(info), allowDuplicates: false)
            // And one whose POST never arrived:
            let lost = try await backend.audit.recordIntent(
                AuditIntentRecord(
                    contactId: "", operation: .create, before: nil, patch: ["name": ["first": "Never"]],
                    actor: "tester", requestId: "2"))

            let restarted = try makeBackend(harness, auditPath: auditPath)
            try await restarted.settlePendingIntents()
            let entry = try await restarted.audit.entry(id: auditId)
            #expect(entry.contactId == made.id)
            #expect(entry.operation == .create)
            #expect(entry.revisionAfter == 1)
            #expect(entry.changedFields.contains("info.emails"))
            await #expect(throws: ContactsError.self) { _ = try await restarted.audit.entry(id: lost) }
            #expect(try await restarted.audit.pendingIntents().isEmpty)
            #expect(try await harness.store.count() == 1)
        }
    }

    @Test func anIntentWhoseChangeNeverLandedIsDiscardedAtTheNextStart() async throws {
        try await withBackend { backend, harness, auditPath in
            let created = try await backend.create(
                patch: patch(["name": ["first": "A"]]), allowDuplicates: false, member: false, context: context)
            let auditId = try await backend.audit.recordIntent(
                AuditIntentRecord(
                    contactId: created.snapshot.id, operation: .update, before: created.snapshot,
                    patch: ["company": "W"], actor: "tester", requestId: "2"))
            let restarted = try makeBackend(harness, auditPath: auditPath)
            try await restarted.settlePendingIntents()
            await #expect(throws: ContactsError.self) { _ = try await restarted.audit.entry(id: auditId) }
            #expect(try await restarted.audit.pendingIntents().isEmpty)
            #expect(try await restarted.audit.count() == 1)
        }
    }

    @Test func deleteAndMergeIntentsLeftByACrashAreSettledByLookingAtTheSite() async throws {
        try await withBackend { backend, harness, auditPath in
            func make(_ name: String) async throws -> ContactSnapshot {
                try await backend.create(
                    patch: patch(["name": ["first": .string(name)]]), allowDuplicates: false, member: false,
                    context: context
                ).snapshot
            }
            let gone = try await make("Gone")
            let kept = try await make("Kept")
            let target = try await make("Target")
            let source = try await make("Source")
            func intent(_ contact: ContactSnapshot, _ operation: AuditOperation, _ patch: JSONValue) async throws -> Int64 {
                try await backend.audit.recordIntent(
                    AuditIntentRecord(
                        contactId: contact.id, operation: operation, before: contact, patch: patch, actor: "tester",
                        requestId: "9", links: AuditLinks(groupId: "g-1")))
            }
            // Crashes after the DELETE reached Wix, before it was sent, and after a merge landed:
            let deleted = try await intent(gone, .delete, ["$op": "delete"])
            try await harness.client.deleteContact(id: gone.id)
            let notDeleted = try await intent(kept, .delete, ["$op": "delete"])
            let sourceDeleted = try await intent(source, .delete, ["$op": "delete"])
            let merged = try await intent(target, .merge, ["$op": "merge", "sourceIds": [.string(source.id)]])
            _ = try await harness.client.mergeContacts(targetId: target.id, sourceIds: [source.id], targetRevision: 1)

            let restarted = try makeBackend(harness, auditPath: auditPath)
            try await restarted.settlePendingIntents()
            let deletion = try await restarted.audit.entry(id: deleted)
            #expect(deletion.operation == .delete)
            #expect(deletion.after == nil)
            #expect(deletion.links.groupId == "g-1")
            await #expect(throws: ContactsError.self) { _ = try await restarted.audit.entry(id: notDeleted) }
            #expect(try await restarted.audit.entry(id: sourceDeleted).after == nil)
            let merge = try await restarted.audit.entry(id: merged)
            #expect(merge.revisionAfter == 2)
            #expect(try await restarted.audit.pendingIntents().isEmpty)
            #expect(try await restarted.audit.group("g-1").count == 3)
        }
    }

    @Test func undoThroughTheRESTAPIRestoresTheField() async throws {
        try await withBackend { backend, _, _ in
            let created = try await backend.create(
                patch: patch(["name": ["first": "A"], "company": "Old"]), allowDuplicates: false, member: false,
                context: context)
            let updated = try await backend.update(
                id: created.snapshot.id, patch: patch(["company": "New"]), revision: 1, allowDuplicates: false,
                dryRun: false,
                context: context)
            let undone = try await UndoCoordinator(backend: backend).undo(
                target: .auditId(try #require(updated.auditId)), mode: .strict, dryRun: false, context: context)
            #expect(try undone.snapshot.contact().info.company == "Old")
            #expect(undone.undid == updated.auditId)
            let entry = try await backend.audit.entry(id: try #require(updated.auditId))
            #expect(entry.undoneBy == undone.auditId)
        }
    }

    @Test func theGatewayRejectsMemberAndDryRunOnTheWixBackend() async throws {
        try await withBackend { backend, _, _ in
            let gateway = ContactsGateway(backend: backend)
            for params: JSONValue in [
                ["info": ["name": ["first": "A"]], "member": true]
            ] {
                await #expect {
                    _ = try await gateway.handle(.init(id: 1, method: "contacts.create", params: params))
                } throws: { error in
                    (error as? ResponseError)?.code == .invalidParams
                        && (error as? ResponseError)?.data?["field"] == "member"
                }
            }
            // Decided from what the backend exposes, not its name; the message is the same as ever.
            #expect(backend.capabilities.supportsDryRun && !backend.capabilities.supportsMembers)
            #expect(backend.capabilities.fastReader == nil)
            await #expect {
                _ = try await gateway.handle(
                    .init(id: 3, method: "contacts.create", params: ["info": ["name": ["first": "A"]], "member": true]))
            } throws: { error in
                (error as? ResponseError)
                    == ResponseError(
                        code: .invalidParams, message: "Param 'member' is only supported by the local backend.",
                        data: ["field": "member"])
            }
            let status = try await gateway.handle(.init(id: 2, method: "gateway.status"))
            #expect(status["backend"] == "wix")
        }
    }
}
