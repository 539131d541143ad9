import JSONCore
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SPEC §6 (audit log) and §7 (undo) through the binary.
@Suite("Audit log and undo (SPEC §6, §7)")
struct AuditAndUndoTests {
    /// A contact created with company `A1`, then updated to `A2` (audit 2) and `A3` (audit 3).
    private func contactWithTwoUpdates(_ client: GatewayClient) throws -> String {
        let id = try client.createContact(["name": ["first": "Undo"], "company": "A1"])
        try client.update(id, ["company": "A2"])
        try client.update(id, ["company": "A3"])
        return id
    }

    private func company(_ client: GatewayClient, _ id: String) throws -> JSONValue? {
        try client.result("contacts.get", ["contactId": .string(id)])["contact"]?["info"]?["company"]
    }

    /// Every entry says who: with no `--actor`, `CONTACTS_GATEWAY_ACTOR` or `params.actor`, the
    /// OS login name (the test runner's account), as git falls back on the account.
    @Test(arguments: Backend.allCases)
    func anEntryWithoutAnActorNamesTheLoginAccount(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let created = try client.result("contacts.create", ["info": ["name": ["first": "Who"]]])
        let auditId = try #require(created["auditId"])
        let entry = try #require(try client.result("audit.get", ["auditId": auditId])["entry"])
        let account = try #require(getpwuid(geteuid())).pointee.pw_name.map { String(cString: $0) }
        #expect(entry["actor"]?.stringValue == account)
        #expect(entry["actor"]?.stringValue?.isEmpty == false)
    }

    @Test(arguments: Backend.allCases)
    func everyWriteHasAnAuditEntryWithRevisionsAndChangedFields(backend: Backend) throws {
        let client = try GatewayClient(backend, ["--actor", "e2e-bot"])
        let created = try client.result("contacts.create", ["info": ["name": ["first": "Aud"]]])
        let id = try #require(created["contact"]?["id"]?.stringValue)
        let updated = try client.update(id, ["jobTitle": "Auditor"])
        let forced = try client.result(
            "contacts.forceUpdate", ["contactId": .string(id), "info": ["company": "Co"], "actor": "alice"])
        let ids = [created["auditId"], updated["auditId"], forced["auditId"]].compactMap { $0?.intValue }
        #expect(ids == [1, 2, 3])

        let entry = try #require(try client.result("audit.get", ["auditId": 2])["entry"])
        #expect(entry["operation"] == "update")
        #expect(entry["contactId"] == .string(id))
        #expect(entry["revisionBefore"] == 1)
        #expect(entry["revisionAfter"] == 2)
        #expect(entry["changedFields"] == ["info.jobTitle"])
        #expect(entry["before"]?["info"]?["jobTitle"] == nil)
        #expect(entry["after"]?["info"]?["jobTitle"] == "Auditor")
        #expect(entry["actor"] == "e2e-bot")
        #expect(entry["timestamp"]?.stringValue?.hasSuffix("Z") == true)
        #expect(try client.result("audit.get", ["auditId": 3])["entry"]?["actor"] == "alice")
        #expect(try client.result("audit.get", ["auditId": 1])["entry"]?["before"] == .null)

        let missing = try client.error("audit.get", ["auditId": 99])
        #expect(missing["code"] == -32004)
        #expect(missing["data"]?["applicationCode"] == "AUDIT_ENTRY_NOT_FOUND")
    }

    @Test(arguments: Backend.allCases)
    func historyFiltersAndPagesWithoutDuplicatesOrGaps(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let first = try client.createContact(["name": ["first": "One"]])
        let second = try client.createContact(["name": ["first": "Two"]])
        for round in 0..<5 {
            try client.update(first, ["company": .string("F\(round)")])
            try client.update(second, ["company": .string("S\(round)")])
        }
        // 12 entries: 2 creates, 10 updates; 6 for `first`.
        let onlyFirst = try client.result("audit.history", ["contactId": .string(first)])["entries"]?.arrayValue ?? []
        #expect(onlyFirst.count == 6)
        #expect(onlyFirst.allSatisfy { $0["contactId"] == .string(first) })
        let creates = try client.result("audit.history", ["operation": "create"])["entries"]?.arrayValue ?? []
        #expect(creates.compactMap { $0["auditId"]?.intValue } == [2, 1])

        for order in ["asc", "desc"] {
            var seen: [Int] = []
            var cursor: JSONValue? = nil
            repeat {
                var params: JSONObject = ["limit": 5, "order": .string(order)]
                if let cursor { params["cursor"] = cursor }
                let page = try client.result("audit.history", .object(params))
                seen += page["entries"]?.arrayValue?.compactMap { $0["auditId"]?.intValue } ?? []
                cursor = page["nextCursor"]
            } while cursor != nil && seen.count <= 12
            #expect(seen == (order == "asc" ? Array(1...12) : Array((1...12).reversed())))
        }
        let future = try client.result("audit.history", ["since": "2999-01-01T00:00:00Z"])
        #expect(future["entries"]?.arrayValue?.isEmpty == true)
        #expect(try client.error("audit.history", ["limit": 1001])["code"] == -32602)
    }

    @Test(arguments: Backend.allCases)
    func undoByAuditIdRestoresTheBeforeValueAsANewEntry(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let id = try contactWithTwoUpdates(client)
        let undo = try client.result("contacts.undo", ["auditId": 3])
        #expect(undo["undid"] == 3)
        #expect(undo["contact"]?["info"]?["company"] == "A2")
        #expect(undo["contact"]?["revision"] == 4)
        let undoEntry = try client.result("audit.get", ["auditId": undo["auditId"] ?? .null])["entry"]
        #expect(undoEntry?["operation"] == "undo")
        #expect(undoEntry?["undoOf"] == 3)
        #expect(try client.result("audit.get", ["auditId": 3])["entry"]?["undoneBy"] == undo["auditId"])
        #expect(try company(client, id) == "A2")
    }

    /// SPEC §7: each field gets its `before` value, item ids included — also for items the
    /// update removed. A difference Wix has: it gives new ids to items it does not hold, so
    /// through the REST API only the items still held keep theirs.
    @Test(arguments: Backend.allCases)
    func undoRestoresListItemsWithTheirIds(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let id = try client.createContact([
            "name": ["first": "Ids"],
            "emails": ["items": [["email": "one@e2e.test"], ["email": "two@e2e.test"]]],
            "phones": ["items": [["phone": "+972 3 555 0101", "tag": "MOBILE"]]],
        ])
        let created = try #require(try client.result("contacts.get", ["contactId": .string(id)])["contact"])
        let emailIds = created["info"]?["emails"]?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        let phoneIds = created["info"]?["phones"]?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        #expect(emailIds.count == 2 && phoneIds.count == 1)
        // Keep the first email (by id), drop the second, replace the phone.
        let keptFirst: JSONValue = ["id": .string(emailIds[0]), "email": "one@e2e.test"]
        try client.update(id, ["emails": ["items": [keptFirst]], "phones": ["items": [["phone": "+972 3 555 0202"]]]])

        let undone = try #require(try client.result("contacts.undo", ["contactId": .string(id)])["contact"])
        let restoredEmails = undone["info"]?["emails"]?["items"]?.arrayValue ?? []
        #expect(restoredEmails.compactMap { $0["email"]?.stringValue } == ["one@e2e.test", "two@e2e.test"])
        #expect(restoredEmails.first?["id"]?.stringValue == emailIds[0], "an item still held keeps its id")
        let restoredPhone = undone["info"]?["phones"]?["items"]?[0]
        #expect(restoredPhone?["phone"] == "+972 3 555 0101")
        if !backend.isWix {
            #expect(restoredEmails.compactMap { $0["id"]?.stringValue } == emailIds)
            #expect(restoredPhone?["id"]?.stringValue == phoneIds[0])
        } else {
            #expect(restoredEmails.last?["id"]?.stringValue != emailIds[1], "Wix gives a removed item a new id")
        }
    }

    @Test(arguments: Backend.allCases)
    func undoByContactIdWalksBackThroughChanges(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let id = try contactWithTwoUpdates(client)
        #expect(try client.result("contacts.undo", ["contactId": .string(id)])["undid"] == 3)
        #expect(try company(client, id) == "A2")
        #expect(try client.result("contacts.undo", ["contactId": .string(id)])["undid"] == 2)
        #expect(try company(client, id) == "A1")
        // Only the create is left, which cannot be undone.
        #expect(
            try client.error("contacts.undo", ["contactId": .string(id)])["data"]?["applicationCode"]
                == "UNDO_NOT_SUPPORTED")
    }

    @Test(arguments: Backend.allCases)
    func strictUndoOfAFieldChangedSinceConflictsAndForceRestores(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let id = try contactWithTwoUpdates(client)
        let entriesBefore = try client.auditEntryCount()
        let conflict = try client.error("contacts.undo", ["auditId": 2])
        #expect(conflict["code"] == -32009)
        #expect(conflict["data"]?["applicationCode"] == "UNDO_CONFLICT")
        let item = try #require(conflict["data"]?["conflicts"]?[0])
        #expect(item["field"] == "info.company")
        #expect(item["before"] == "A1")
        #expect(item["after"] == "A2")
        #expect(item["current"] == "A3")
        #expect(try client.auditEntryCount() == entriesBefore)

        let preview = try client.result("contacts.undo", ["auditId": 2, "dryRun": true])
        #expect(preview["conflicts"]?[0]?["field"] == "info.company")
        #expect(preview["changedFields"] == ["info.company"])
        #expect(preview["contact"]?["info"]?["company"] == "A1")
        #expect(try company(client, id) == "A3")
        #expect(try client.auditEntryCount() == entriesBefore)

        let forced = try client.result("contacts.undo", ["auditId": 2, "mode": "force"])
        #expect(forced["contact"]?["info"]?["company"] == "A1")
        #expect(try company(client, id) == "A1")
    }

    @Test(arguments: Backend.allCases)
    func undoingAnUndoIsARedoAndAnUndoneEntryConflicts(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let id = try contactWithTwoUpdates(client)
        let undo = try client.result("contacts.undo", ["auditId": 3])
        let redo = try client.result("contacts.undo", ["auditId": undo["auditId"] ?? .null])
        #expect(redo["contact"]?["info"]?["company"] == "A3")
        #expect(try company(client, id) == "A3")
        let again = try client.error("contacts.undo", ["auditId": 3])
        #expect(again["code"] == -32009)
        #expect(again["data"]?["applicationCode"] == "UNDO_CONFLICT")
        let againDryRun = try client.error("contacts.undo", ["auditId": 3, "dryRun": true])
        #expect(againDryRun["data"]?["applicationCode"] == "UNDO_CONFLICT")
    }

    /// The same error on every backend: an unknown contact is not found, whether or not the
    /// audit has entries for it; a known contact with nothing left to undo has no entry.
    @Test(arguments: Backend.allCases)
    func undoByContactIdOfAnUnknownContactIsNotFound(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let unknown = try client.error("contacts.undo", ["contactId": "no-such-contact"])
        #expect(unknown["code"] == -32004)
        #expect(unknown["data"]?["applicationCode"] == "CONTACT_NOT_FOUND")
        let id = try client.createContact(["name": ["first": "Fresh"]])
        let walkedBack = try client.error("contacts.undo", ["contactId": .string(id)])
        #expect(walkedBack["data"]?["applicationCode"] == "UNDO_NOT_SUPPORTED", "only the create is left")
        let missingEntry = try client.error("contacts.undo", ["auditId": 999])
        #expect(missingEntry["data"]?["applicationCode"] == "AUDIT_ENTRY_NOT_FOUND")
    }

    @Test(arguments: Backend.allCases)
    func walkingBackByContactStopsAtItsCreate(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let id = try client.createContact(["name": ["first": "Created"]])
        let error = try client.error("contacts.undo", ["contactId": .string(id)])
        #expect(error["code"] == -32028)
        #expect(error["data"]?["applicationCode"] == "UNDO_NOT_SUPPORTED")
    }

    @Test(arguments: Backend.allCases)
    func failedRequestsAddNoAuditEntry(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let id = try client.createContact(["name": ["first": "Stable"], "emails": ["items": [["email": "s@e2e.test"]]]])
        _ = try client.createContact(["emails": ["items": [["email": "taken@e2e.test"]]]])
        #expect(try client.auditEntryCount() == 2)
        let failures: [(String, JSONValue)] = [
            ("contacts.update", ["contactId": .string(id), "info": ["company": "X"], "revision": 9]),
            ("contacts.update", ["contactId": .string(id), "info": [:], "revision": 1]),
            ("contacts.update", ["contactId": .string(id), "info": ["birthdate": "2021-02-30"], "revision": 1]),
            (
                "contacts.update",
                ["contactId": .string(id), "info": ["emails": ["items": [["email": "taken@e2e.test"]]]], "revision": 1]
            ),
            ("contacts.create", ["info": [:]]),
            ("contacts.forceUpdate", ["contactId": "ghost", "info": ["company": "X"]]),
            ("contacts.undo", ["contactId": .string(id)]),
            ("contacts.undo", ["auditId": 77]),
        ]
        for (method, params) in failures {
            let response = try client.call(method, params)
            #expect(response["error"] != nil, "\(method) \(params) should fail")
        }
        #expect(try client.auditEntryCount() == 2)
    }
}
