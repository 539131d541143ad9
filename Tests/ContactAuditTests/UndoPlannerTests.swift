import ContactAudit
import ContactStore
import JSONCore
import Testing
import WixContacts

@Suite struct UndoPlannerTests {
    @Test func plansRestoringBeforeValuesOfChangedFields() async throws {
        let fixture = try AuditFixture()
        let (id, _) = try await fixture.create(["name": ["first": "Ada"], "company": "Old"])
        let auditId = try await fixture.update(id, ["company": "New", "jobTitle": "CTO"])
        let plan = try UndoPlanner.plan(
            undoing: try await fixture.audit.entry(id: auditId), current: try await fixture.contact(id))
        #expect(plan.conflicts.isEmpty)
        #expect(plan.patch.json["company"] == "Old")
        #expect(plan.patch.clearedFields == ["jobTitle"])
    }

    @Test func laterChangeToAnUndoneFieldIsAConflictListingAllThreeValues() async throws {
        let fixture = try AuditFixture()
        let (id, _) = try await fixture.create(["name": ["first": "Ada"], "company": "Old"])
        let auditId = try await fixture.update(id, ["company": "New"])
        try await fixture.update(id, ["company": "Newer"])
        let plan = try UndoPlanner.plan(
            undoing: try await fixture.audit.entry(id: auditId), current: try await fixture.contact(id))
        #expect(plan.conflicts.count == 1)
        #expect(
            plan.conflicts.first?.json == [
                "field": "info.company", "before": "Old", "after": "New", "current": "Newer",
            ])
    }

    @Test func changesToOtherFieldsDoNotBlockUndo() async throws {
        let fixture = try AuditFixture()
        let (id, _) = try await fixture.create(["name": ["first": "Ada"], "company": "Old"])
        let auditId = try await fixture.update(id, ["company": "New"])
        try await fixture.update(id, ["jobTitle": "CTO"])
        let plan = try UndoPlanner.plan(
            undoing: try await fixture.audit.entry(id: auditId), current: try await fixture.contact(id))
        #expect(plan.conflicts.isEmpty)
    }

    @Test func undoingACreateIsNotSupported() async throws {
        let fixture = try AuditFixture()
        let (id, auditId) = try await fixture.create(["name": ["first": "Ada"]])
        let entry = try await fixture.audit.entry(id: auditId)
        let current = try await fixture.contact(id)
        #expect { _ = try UndoPlanner.plan(undoing: entry, current: current) } throws: { error in
            (error as? ContactsError)?.code == .undoNotSupported
        }
    }

    @Test func extendedFieldsAddedByTheEntryAreRemovedOnUndo() async throws {
        let fixture = try AuditFixture()
        let field = try await fixture.store.findOrCreateExtendedField(displayName: "Nickname", dataType: .text)
        let (id, _) = try await fixture.create(["name": ["first": "Ada"]])
        let auditId = try await fixture.update(id, ["extendedFields": ["items": [field.key: "Addie"]]])
        let plan = try UndoPlanner.plan(
            undoing: try await fixture.audit.entry(id: auditId), current: try await fixture.contact(id))
        #expect(plan.patch.json["extendedFields"]?["items"]?[field.key] == .null)
    }

    @Test func latestUndoableSkipsUndoneEntriesSoCallsWalkBack() async throws {
        let fixture = try AuditFixture()
        let (id, _) = try await fixture.create(["name": ["first": "Ada"]])
        let first = try await fixture.update(id, ["company": "A"])
        let second = try await fixture.update(id, ["company": "B"])
        let latest = try await fixture.store.database.read { db in try SQLiteAuditStore.latestUndoable(db, contactId: id) }
        #expect(latest?.auditId == second)
        try await fixture.store.database.write { db in
            try db.execute(sql: "UPDATE audit_entry SET undone_by = 1 WHERE audit_id = ?", arguments: [second])
        }
        let next = try await fixture.store.database.read { db in try SQLiteAuditStore.latestUndoable(db, contactId: id) }
        #expect(next?.auditId == first)
    }
}
