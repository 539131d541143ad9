import ContactAudit
import ContactStore
import Foundation
import GRDB
import JSONCore
import Testing
import WixContacts

/// The hash chain's head is kept in memory for a group commit and written once before it
/// commits (`TransactionMemo`): writes that share a transaction, and a batch where one write
/// fails and the rest are run again one by one, still leave one unbroken chain. On a writer
/// without triggers a batch's entries wait in the memo and are inserted together before the
/// commit (`PendingAuditEntries`); what reads or updates the log inside the batch sees them.
@Suite struct GroupCommitChainTests {
    @Test func concurrentWritesWithAFailureAmongThemLeaveOneUnbrokenChain() async throws {
        let fixture = try AuditFixture()
        try await fixture.create(["emails": ["items": [["email": "taken@example.com"]]]])
        var ids: [String] = []
        for index in 0..<40 { ids.append(try await fixture.create(["name": ["first": .string("C\(index)")]]).id) }
        // 40 updates at once, every fifth trying to take an email another contact holds: those
        // fail with DUPLICATE_CONTACT_EXISTS inside batches the others commit in.
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for (index, id) in ids.enumerated() {
                group.addTask {
                    let info: JSONValue =
                        index % 5 == 0
                        ? ["emails": ["items": [["email": "taken@example.com"]]]]
                        : ["company": .string("Co\(index)")]
                    do {
                        try await fixture.update(id, info)
                        return true
                    } catch let error as ContactsError where error.code == .duplicateContactExists {
                        return false
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 32)
        let verification = try await fixture.audit.verify()
        #expect(verification.ok, "\(verification)")
        #expect(verification.entries == 1 + 40 + 32)
        let head = try await fixture.store.database.read { db in
            try Int.fetchOne(db, sql: "SELECT seq FROM audit_chain WHERE id = 1")
        }
        #expect(head == 1 + 40 + 32)
        #expect(try await fixture.audit.count() == 1 + 40 + 32)
    }

    @Test func entriesInsertedTogetherKeepEveryBeforeAfterAndUndoLink() async throws {
        let fixture = try AuditFixture(recordingEveryChange: true)
        let (ada, _) = try await fixture.create(["name": ["first": "Ada"]])
        var others: [String] = []
        for index in 0..<20 { others.append(try await fixture.create(["name": ["first": .string("O\(index)")]]).id) }
        let undone = try await fixture.update(others[0], ["jobTitle": "Before the undo"])
        // 30 updates of one contact and 20 of others at once: batches hold several entries of
        // `ada`, planned from a revision an earlier write of the batch moved on, so planned again
        // in the writer, where its `before` is compared with the entry before it (still waiting
        // in the memo). Among them an undo-journaled change, whose `undone_by` link is written
        // inside the batch too.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<30 {
                group.addTask { try await fixture.update(ada, ["company": .string("Co\(index)")]) }
            }
            for (index, id) in others.enumerated() {
                group.addTask {
                    var journal = fixture.journal(index == 0 ? .undo : .update)
                    if index == 0 { journal.entry.undoOf = undone }
                    let request = ChangeRequest.update(
                        id: id, patch: try ContactInfoPatch(json: ["company": .string("Other\(index)")]), revision: nil,
                        allowDuplicates: false)
                    _ = try await fixture.store.commit(request, journal: journal)
                }
            }
            try await group.waitForAll()
        }
        let verification = try await fixture.audit.verify()
        #expect(verification.ok, "\(verification)")
        #expect(verification.entries == 21 + 1 + 30 + 20)
        #expect(try await fixture.audit.count() == 21 + 1 + 30 + 20)

        let history = try await fixture.audit.history(AuditHistoryQuery(contactId: ada, limit: 50)).entries
        #expect(history.count == 31)
        #expect(history.map(\.revisionAfter) == (1...31).reversed().map { Optional($0) })
        for (newer, older) in zip(history, history.dropFirst()) {
            #expect(older.after != nil && older.after?.bytes == newer.before?.bytes, "#\(older.auditId)")
        }
        #expect(try history.first?.afterContact()?.info.company?.hasPrefix("Co") == true)

        let undo = try await fixture.audit.history(AuditHistoryQuery(contactId: others[0], limit: 1)).entries.first
        #expect(undo?.operation == .undo)
        #expect(undo?.undoOf == undone)
        #expect(try await fixture.audit.entry(id: undone).undoneBy == undo?.auditId)
    }
}
