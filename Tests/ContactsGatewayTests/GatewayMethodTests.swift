import ContactsGateway
import JSONCore
import JSONRPC
import Testing

@Suite struct GatewayMethodTests {
    @Test func updateReturnsContactAndAuditIdAndDryRunWritesNothing() async throws {
        let gateway = try TestGateway()
        let id = try await gateway.createContact(first: "Ada")
        let preview = try await gateway.call(
            "contacts.update", ["contactId": .string(id), "revision": 1, "info": ["company": "Wix"], "dryRun": true])
        #expect(preview["changedFields"] == ["info.company"])
        #expect(preview["contact"]?["revision"] == 2)
        #expect(preview["auditId"] == nil)
        let stored = try await gateway.call("contacts.get", ["contactId": .string(id)])
        #expect(stored["contact"]?["revision"] == 1)
        let updated = try await gateway.call(
            "contacts.update", ["contactId": .string(id), "revision": 1, "info": ["company": "Wix"]])
        #expect(updated["contact"]?["info"]?["company"] == "Wix")
        #expect(updated["auditId"] == 2)
    }

    @Test func forceUpdateReportsAttempts() async throws {
        let gateway = try TestGateway()
        let id = try await gateway.createContact(first: "Ada")
        let result = try await gateway.call(
            "contacts.forceUpdate", ["contactId": .string(id), "info": ["jobTitle": "Countess"]])
        #expect(result["attempts"] == 1)
        #expect(result["contact"]?["revision"] == 2)
    }

    @Test func paramsAreValidatedBeforeAnyWork() async throws {
        let gateway = try TestGateway()
        let missing = await gateway.failure("contacts.update", ["revision": 1, "info": ["company": "x"]])
        #expect(missing?.code == .invalidParams)
        #expect(missing?.data?["field"] == "contactId")
        let mistyped = await gateway.failure(
            "contacts.update", ["contactId": "x", "revision": "1", "info": ["company": "x"]])
        #expect(mistyped?.data?["field"] == "revision")
        let array = await gateway.failure("contacts.get", [1])
        #expect(array?.code == .invalidParams)
        let limit = await gateway.failure("contacts.query", ["paging": ["limit": 1001]])
        #expect(limit?.data?["field"] == "paging.limit")
        let status = try await gateway.call("gateway.status")
        #expect(status["auditEntries"] == 0)
    }

    @Test func infoProblemsAreApplicationErrorsNamingTheField() async throws {
        let gateway = try TestGateway()
        let id = try await gateway.createContact(first: "Ada")
        let error = await gateway.failure(
            "contacts.update", ["contactId": .string(id), "revision": 1, "info": ["company": 5]])
        #expect(error?.code.rawValue == -32000)
        #expect(error?.data?["applicationCode"] == "INVALID_ARGUMENT")
        #expect(error?.data?["fieldViolations"]?.arrayValue?.first?["field"] == "info.company")
    }

    @Test func memberParamIsRecordedAsSiteMemberSource() async throws {
        let gateway = try TestGateway()
        let created = try await gateway.call("contacts.create", ["info": ["name": ["first": "M"]], "member": true])
        #expect(created["contact"]?["source"]?["sourceType"] == "WIX_SITE_MEMBERS")
    }

    @Test func unknownMethodIsMethodNotFound() async throws {
        let gateway = try TestGateway()
        let error = await gateway.failure("contacts.teleport")
        #expect(error?.code == .methodNotFound)
    }

    @Test func requestsForTheSameContactShareAnOrderingKey() throws {
        let gateway = try TestGateway()
        let get = RPCRequest(id: 1, method: "contacts.get", params: ["contactId": "c-1"])
        let update = RPCRequest(
            id: 2, method: "contacts.update", params: ["contactId": "c-1", "revision": 1, "info": [:]])
        let create = RPCRequest(id: 3, method: "contacts.create", params: ["info": [:]])
        #expect(gateway.gateway.orderingKeys(for: get) == gateway.gateway.orderingKeys(for: update))
        #expect(gateway.gateway.orderingKeys(for: get).count == 1)
        #expect(gateway.gateway.orderingKeys(for: create).isEmpty)
    }

    @Test func anUndoByAuditIdIsOrderedWithItsContact() async throws {
        let gateway = try TestGateway()
        let id = try await gateway.createContact(first: "Ada")
        let undo = RPCRequest(id: 1, method: "contacts.undo", params: ["auditId": 1])
        let get = RPCRequest(id: 2, method: "contacts.get", params: ["contactId": .string(id)])
        #expect(gateway.gateway.orderingKeys(for: undo) == gateway.gateway.orderingKeys(for: get))
        #expect(!gateway.gateway.orderingKeys(for: undo).isEmpty)
        let unknown = RPCRequest(id: 3, method: "contacts.undo", params: ["auditId": 99])
        #expect(gateway.gateway.orderingKeys(for: unknown).isEmpty)
    }

    @Test func actorParamOverridesTheDefaultActor() async throws {
        let gateway = try TestGateway()
        let id = try await gateway.createContact(first: "Ada")
        let result = try await gateway.call(
            "contacts.update", ["contactId": .string(id), "revision": 1, "info": ["company": "Wix"], "actor": "bob"])
        let entry = try await gateway.call("audit.get", ["auditId": result["auditId"] ?? 0])
        #expect(entry["entry"]?["actor"] == "bob")
        let created = try await gateway.call("audit.get", ["auditId": 1])
        #expect(created["entry"]?["actor"] == "tester")
    }
}
