import ContactAudit
import ContactStore
import Foundation
import GRDB
import JSONCore
import Testing
import WixContacts

/// The hash chain's head is kept in memory for a group commit and written once before it
/// commits (`TransactionMemo`): writes that share a transaction, and a batch where one write
/// fails and the rest are run again one by one, still leave one unbroken chain.
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
}
