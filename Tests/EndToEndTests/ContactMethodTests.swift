import Foundation
import JSONCore
import Testing

/// SPEC §3 and §5 per method through the binary: results with real values, and the error codes
/// and data a client branches on.
@Suite("Contact methods (SPEC §3, §5)")
struct ContactMethodTests {
    @Test(arguments: Backend.allCases)
    func createReturnsTheContactAtRevisionOneWithAnAuditId(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let info: JSONValue = [
            "name": ["first": "Ada", "last": "Lovelace"], "emails": ["items": [["email": "ada@e2e.test"]]],
        ]
        if backend.isWix {
            // A difference Wix has: its Contacts API cannot mark a site member (Wix Members does).
            let refused = try client.error("contacts.create", ["info": info, "member": true])
            #expect(refused["code"] == -32602)
            #expect(refused["data"]?["field"] == "member")
            let created = try client.result("contacts.create", ["info": info])
            #expect(created["contact"]?["revision"] == 1)
            #expect(created["contact"]?["source"]?["sourceType"] == "OTHER")
            #expect(created["contact"]?["primaryInfo"]?["email"] == "ada@e2e.test")
            #expect(created["contact"]?["info"]?["emails"]?["items"]?[0]?["id"]?.stringValue != nil)
            #expect(created["auditId"] == 1, "the refused create left no entry")
            return
        }
        let result = try client.result("contacts.create", ["info": info, "member": true])
        let contact = try #require(result["contact"])
        #expect(contact["revision"] == 1)
        #expect(contact["source"]?["sourceType"] == "WIX_SITE_MEMBERS")
        #expect(contact["primaryInfo"]?["email"] == "ada@e2e.test")
        #expect(contact["info"]?["emails"]?["items"]?[0]?["primary"] == true)
        #expect(contact["info"]?["emails"]?["items"]?[0]?["id"]?.stringValue != nil)
        #expect(result["auditId"] == 1)
        let plain = try client.result("contacts.create", ["info": ["name": ["first": "Plain"]]])
        #expect(plain["contact"]?["source"]?["sourceType"] == "OTHER")
        #expect(plain["auditId"] == 2)
    }

    @Test(arguments: Backend.allCases)
    func getUnknownContactIsNotFoundWithWixCodes(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let error = try client.error("contacts.get", ["contactId": "no-such-contact"])
        #expect(error["code"] == -32004)
        #expect(error["data"]?["applicationCode"] == "CONTACT_NOT_FOUND")
        #expect(error["data"]?["status"] == "NOT_FOUND")
        #expect(error["data"]?["httpStatus"] == 404)
        #expect(error["message"]?.stringValue?.isEmpty == false)
    }

    @Test(arguments: Backend.allCases)
    func updateIncrementsRevisionAndStaleRevisionIsRejectedWithCurrentRevision(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let id = try client.createContact(["name": ["first": "Rev"], "company": "Old Co"])
        let updated = try client.result(
            "contacts.update", ["contactId": .string(id), "info": ["company": "New Co"], "revision": 1])
        #expect(updated["contact"]?["revision"] == 2)
        #expect(updated["contact"]?["info"]?["company"] == "New Co")
        #expect(updated["contact"]?["info"]?["name"]?["first"] == "Rev")
        #expect(updated["auditId"]?.intValue != nil)

        let stale = try client.error(
            "contacts.update", ["contactId": .string(id), "info": ["company": "X"], "revision": 1])
        #expect(stale["code"] == -32009)
        #expect(stale["data"]?["applicationCode"] == "CONTACT_ALREADY_CHANGED")
        #expect(stale["data"]?["currentRevision"] == 2)
    }

    @Test(arguments: Backend.allCases)
    func dryRunUpdateReportsChangedFieldsAndWritesNothing(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let id = try client.createContact(["name": ["first": "Dry"]])
        let entriesBefore = try client.auditEntryCount()
        let params: JSONValue = [
            "contactId": .string(id), "info": ["jobTitle": "Pilot", "company": "Air"], "revision": 1, "dryRun": true,
        ]
        let preview = try client.result("contacts.update", params)
        #expect(
            Set(preview["changedFields"]?.arrayValue?.compactMap(\.stringValue) ?? []) == [
                "info.jobTitle", "info.company",
            ])
        #expect(preview["contact"]?["info"]?["jobTitle"] == "Pilot")
        #expect(preview["auditId"] == nil)
        let stored = try client.result("contacts.get", ["contactId": .string(id)])["contact"]
        #expect(stored?["revision"] == 1)
        #expect(stored?["info"]?["jobTitle"] == nil)
        #expect(try client.auditEntryCount() == entriesBefore)
    }

    /// A dry run applies every rule the write would, with what the site holds: its labels,
    /// extended fields and the other contacts' emails.
    @Test(arguments: Backend.allCases)
    func dryRunChecksLabelsExtendedFieldsAndDuplicatesAsTheWriteWould(backend: Backend) throws {
        let client = try GatewayClient(backend)
        _ = try client.createContact(["name": ["first": "Taken"], "emails": ["items": [["email": "taken@e2e.test"]]]])
        let id = try client.createContact(["name": ["first": "Dry"]])
        let vip = try #require(try client.result("labels.findOrCreate", ["displayName": "VIP"])["label"]?["key"])
        _ = try client.result("extendedFields.findOrCreate", ["displayName": "Size", "dataType": "NUMBER"])
        let entries = try client.auditEntryCount()
        func dryRun(_ info: JSONValue) throws -> JSONValue {
            try client.call("contacts.update", ["contactId": .string(id), "info": info, "revision": 1, "dryRun": true])
        }

        let labelled = try dryRun(["labelKeys": ["items": [vip]], "extendedFields": ["items": ["custom.size": 42]]])
        #expect(labelled["result"]?["contact"]?["info"]?["labelKeys"]?["items"] == [vip])
        #expect(labelled["result"]?["contact"]?["info"]?["extendedFields"]?["items"]?["custom.size"] == 42)
        #expect(labelled["result"]?["contact"]?["revision"] == 2)
        #expect(try dryRun(["labelKeys": ["items": ["custom.nope"]]]).applicationCode == "INVALID_ARGUMENT")
        #expect(
            try dryRun(["extendedFields": ["items": ["custom.size": "big"]]]).applicationCode
                == "INVALID_EXTENDED_FIELD_VALUE")
        let duplicate = try dryRun(["emails": ["items": [["email": "TAKEN@e2e.test"]]]])
        #expect(duplicate.applicationCode == "DUPLICATE_CONTACT_EXISTS")
        let plain = try dryRun(["company": "X"])
        #expect(plain.applicationCode == nil, "\(plain)")
        #expect(
            try client.call("contacts.update", ["contactId": .string(id), "info": ["company": "X"], "revision": 7, "dryRun": true])
                .applicationCode == "CONTACT_ALREADY_CHANGED")
        #expect(try client.auditEntryCount() == entries, "a dry run writes nothing")
        #expect(try client.result("contacts.get", ["contactId": .string(id)])["contact"]?["revision"] == 1)
    }

    @Test(arguments: Backend.allCases)
    func forceUpdateReadsTheLatestRevisionInOneAttempt(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let id = try client.createContact(["name": ["first": "Force"]])
        try client.update(id, ["company": "One"])
        let result = try client.result("contacts.forceUpdate", ["contactId": .string(id), "info": ["company": "Two"]])
        #expect(result["attempts"] == 1)
        #expect(result["contact"]?["revision"] == 3)
        #expect(result["contact"]?["info"]?["company"] == "Two")
        #expect(result["auditId"]?.intValue != nil)
    }

    @Test(arguments: Backend.allCases)
    func queryFiltersSortsAndPages(backend: Backend) throws {
        let client = try GatewayClient(backend)
        for (first, company) in [("Cleo", "Acme"), ("Abe", "Acme"), ("Bea", "Acme"), ("Dan", "Other")] {
            _ = try client.createContact(["name": ["first": .string(first)], "company": .string(company)])
        }
        let page = try client.result(
            "contacts.query",
            [
                "filter": ["info.company": "Acme"], "sort": [["fieldName": "info.name.first", "order": "ASC"]],
                "paging": ["limit": 2, "offset": 1],
            ])
        let names = page["contacts"]?.arrayValue?.compactMap { $0["info"]?["name"]?["first"]?.stringValue }
        #expect(names == ["Bea", "Cleo"])
        #expect(page["pagingMetadata"]?["count"] == 2)
        #expect(page["pagingMetadata"]?["offset"] == 1)
        #expect(page["pagingMetadata"]?["total"] == 3)

        let startsWith = try client.result(
            "contacts.query",
            [
                "filter": ["info.name.first": ["$startsWith": "D"]],
                "sort": [["fieldName": "info.name.first", "order": "DESC"]],
            ])
        #expect(startsWith["contacts"]?.arrayValue?.count == 1)
        #expect(startsWith["contacts"]?[0]?["info"]?["company"] == "Other")

        let tooMany = try client.error("contacts.query", ["paging": ["limit": 1001]])
        #expect(tooMany["code"] == -32602)
        #expect(tooMany["data"]?["field"] == "paging.limit")
    }

    /// `createdDate` and `updatedDate` compare instants (README, "Choices where the SPEC is
    /// silent"): a date-time in any offset, a date alone at midnight UTC, a number as
    /// milliseconds since 1970; another string is `INVALID_ARGUMENT` naming the operand.
    @Test(arguments: Backend.allCases)
    func queryComparesDatesAsInstants(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let first = try client.createContact(["name": ["first": "Early"], "company": "Dated"])
        _ = try client.createContact(["name": ["first": "Late"], "company": "Dated"])
        let created = try #require(
            try client.result("contacts.get", ["contactId": .string(first)])["contact"]?["createdDate"]?.stringValue)
        func names(_ date: JSONValue) throws -> [String] {
            let page = try client.result(
                "contacts.query",
                [
                    "filter": ["$and": [["info.company": "Dated"], ["createdDate": date]]],
                    "sort": [["fieldName": "info.name.first", "order": "ASC"]],
                ])
            return page["contacts"]?.arrayValue?.compactMap { $0["info"]?["name"]?["first"]?.stringValue } ?? []
        }
        // The first contact's instant two hours west: earlier as text, the same instant as a time.
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let instant = try #require(parser.date(from: created))
        parser.timeZone = TimeZone(secondsFromGMT: -2 * 3600)
        let west = parser.string(from: instant)
        #expect(west.hasSuffix("-02:00"))
        #expect(try names(["$lte": .string(west)]).contains("Early"))
        #expect(try names(["$gte": .string(created)]) == ["Early", "Late"])
        let day = String(created.prefix(10))
        #expect(try names(["$gte": .string(day)]) == ["Early", "Late"])
        #expect(try names(["$lt": .string(day)]) == [])
        #expect(try names(["$gt": 1_577_836_800_000]) == ["Early", "Late"])  // 2020-01-01
        #expect(try names(["$gt": 4_102_444_800_000]) == [])  // 2100-01-01
        let notADate = try client.error(
            "contacts.query", ["filter": ["createdDate": ["$gte": "yesterday"]]])
        #expect(notADate["code"] == -32000)
        #expect(notADate.applicationCode == "INVALID_ARGUMENT")
    }

    @Test(arguments: Backend.allCases)
    func catalogMethodsFindOrCreateStableKeys(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let label = try client.result("labels.findOrCreate", ["displayName": "VIP Customers"])["label"]
        #expect(label?["key"] == "custom.vip-customers")
        #expect(label?["displayName"] == "VIP Customers")
        #expect(try client.result("labels.findOrCreate", ["displayName": "VIP Customers"])["label"] == label)
        let alpha = try client.result("labels.findOrCreate", ["displayName": "Alpha"])["label"]
        #expect(try client.result("labels.list")["labels"] == .array([alpha, label].compactMap { $0 }))

        let field = try client.result(
            "extendedFields.findOrCreate", ["displayName": "Shoe Size", "dataType": "NUMBER"])["field"]
        #expect(field?["key"] == "custom.shoe-size")
        #expect(field?["dataType"] == "NUMBER")
        let id = try client.createContact([
            "name": ["first": "Feet"], "extendedFields": ["items": ["custom.shoe-size": 42]],
        ])
        let contact = try client.result("contacts.get", ["contactId": .string(id)])["contact"]
        #expect(contact?["info"]?["extendedFields"]?["items"]?["custom.shoe-size"] == 42)
        let badType = try client.error("extendedFields.findOrCreate", ["displayName": "X", "dataType": "BLOB"])
        #expect(badType["code"] == -32602)
    }

    @Test(arguments: Backend.allCases)
    func statusReportsVersionBackendDatabaseAndAuditCount(backend: Backend) throws {
        let client = try GatewayClient(backend)
        _ = try client.createContact(["name": ["first": "Counted"]])
        let status = try client.result("gateway.status")
        #expect(status["version"]?.stringValue?.isEmpty == false)
        #expect(status["backend"] == (backend.isWix ? "wix" : "local"))
        if backend.isWix {
            #expect(status["database"]?.stringValue?.hasPrefix("http://127.0.0.1:") == true, "the API, never a key")
        } else {
            #expect(status["database"] == .string(client.sandbox.databasePath))
        }
        #expect(status["auditEntries"] == 1)
        #expect((status["uptimeSeconds"]?.doubleValue ?? -1) >= 0)
        if backend.isWix {
            #expect(status["writer"] == .null, "Wix's writes are not the gateway's")
        } else {
            // The create: one write, in a transaction of its own, which took the writer some time.
            let writer = try #require(status["writer"])
            #expect(writer["writes"] == 1)
            #expect(writer["transactions"] == 1)
            #expect((writer["busySeconds"]?.doubleValue ?? 0) > 0)
            #expect((writer["cpuSeconds"]?.doubleValue ?? -1) >= 0)
            // One small write leaves the log far from a checkpoint of the writer's own.
            #expect(writer["checkpoints"] == 0)
            #expect(writer["checkpointSeconds"]?.doubleValue == 0)
            // Where the create's time went, phase by phase: some of it in its transaction, and
            // all of them together within the gateway's uptime.
            let phases = ["queuedSeconds", "transactionSeconds", "awaitingSyncSeconds", "resumingSeconds"]
                .map { writer[$0]?.doubleValue ?? -1 }
            #expect(phases.allSatisfy { $0 >= 0 })
            #expect(phases[1] > 0)
            #expect(phases.reduce(0, +) <= status["uptimeSeconds"]?.doubleValue ?? 0)
        }
    }

    @Test(arguments: Backend.allCases)
    func discoverListsExactlyTheMethodsThatExist(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let document = try client.result("rpc.discover")
        #expect(document["openrpc"]?.stringValue?.hasPrefix("1.3") == true)
        let names = Set(document["methods"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [])
        let candidates = names.union([
            "contacts.delete", "contacts.list", "audit.undo", "labels.delete", "gateway.shutdown", "rpc.ping",
        ])
        var answering: Set<String> = []
        for method in candidates where try client.call(method).errorCode != -32601 { answering.insert(method) }
        #expect(names == answering)
        #expect(
            names.isSuperset(of: ["contacts.get", "contacts.update", "contacts.undo", "audit.history", "rpc.discover"]))
    }

    @Test(arguments: [
        (#"{"contactId":"x","bogus":1}"#, "bogus"),
        ("{}", "contactId"),
        ("[\"x\"]", "params"),
    ])
    func malformedGetParamsAreInvalidParamsNamingTheField(params: String, field: String) throws {
        let client = try GatewayClient()
        try client.process.send(#"{"jsonrpc":"2.0","id":1,"method":"contacts.get","params":\#(params)}"#)
        let response = try client.response(id: 1)
        #expect(response.errorCode == -32602)
        #expect(response["error"]?["data"]?["field"] == .string(field))
    }

    @Test(arguments: Backend.allCases)
    func stringRevisionIsInvalidParams(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let error = try client.error("contacts.update", ["contactId": "x", "info": ["company": "C"], "revision": "1"])
        #expect(error["code"] == -32602)
        #expect(error["data"]?["field"] == "revision")
    }

    @Test(arguments: Backend.allCases)
    func wrongTypeInsideInfoIsInvalidArgumentNamingThePath(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let error = try client.error("contacts.create", ["info": ["name": ["first": "N"], "company": 5]])
        #expect(error["code"] == -32000)
        #expect(error["data"]?["applicationCode"] == "INVALID_ARGUMENT")
        let fields = error["data"]?["fieldViolations"]?.arrayValue?.compactMap { $0["field"]?.stringValue }
        #expect(fields?.contains("info.company") == true)
    }

    @Test(arguments: Backend.allCases)
    func unknownMethodIsMethodNotFound(backend: Backend) throws {
        let client = try GatewayClient(backend)
        #expect(try client.call("contacts.explode").errorCode == -32601)
    }

    @Test(arguments: Backend.allCases)
    func memberPrimaryEmailCannotChange(backend: Backend) throws {
        let client = try GatewayClient(backend)
        guard !backend.isWix else {
            // Members exist only where the contact store knows them: Wix's Contacts API cannot make one.
            #expect(try client.error("contacts.create", ["info": ["name": ["first": "M"]], "member": true])["code"] == -32602)
            return
        }
        let id = try client.createContact(
            ["emails": ["items": [["email": "member@e2e.test"]]]], extra: ["member": true])
        let error = try client.error(
            "contacts.update",
            ["contactId": .string(id), "info": ["emails": ["items": [["email": "other@e2e.test"]]]], "revision": 1])
        #expect(error["code"] == -32028)
        #expect(error["data"]?["applicationCode"] == "CANNOT_UPDATE_MEMBER_EMAIL")
        #expect(error["data"]?["httpStatus"] == 428)
    }

    @Test(arguments: Backend.allCases)
    func duplicateEmailIsRejectedNamingTheExistingContact(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let first = try client.createContact(["emails": ["items": [["email": "dup@e2e.test"]]]])
        let error = try client.error("contacts.create", ["info": ["emails": ["items": [["email": "DUP@e2e.test"]]]]])
        #expect(error["code"] == -32009)
        #expect(error["data"]?["applicationCode"] == "DUPLICATE_CONTACT_EXISTS")
        #expect(error["data"]?["duplicateContactId"] == .string(first))
        let allowed = try client.result(
            "contacts.create", ["info": ["emails": ["items": [["email": "dup@e2e.test"]]]], "allowDuplicates": true])
        #expect(allowed["contact"]?["id"] != .string(first))
    }
}
