import JSONCore
import Testing

/// The rest of the Contacts v4 API (issue #16) through the binary, one table for both backends:
/// delete, label, unlabel, merge, label deletion and bulk changes, each audited and undoable.
@Suite("Contacts surface: delete, labels, merge, bulk")
struct SurfaceMethodTests {
    static let backends: [Backend] = Backend.allCases

    @Test(arguments: backends)
    func deleteIsAuditedAndUndoRecreatesTheContactUnderANewId(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let id = try client.createContact(
            ["name": ["first": "Gone"], "emails": ["items": [["email": "gone@e2e.test"]]], "company": "Acme"])
        let deleted = try client.result("contacts.delete", ["contactId": .string(id)])
        let auditId = try #require(deleted["auditId"]?.intValue)
        #expect(try client.error("contacts.get", ["contactId": .string(id)])["data"]?["applicationCode"] == "CONTACT_NOT_FOUND")

        let entry = try client.result("audit.get", ["auditId": .int(auditId)])["entry"]
        #expect(entry?["operation"] == "delete")
        #expect(entry?["after"] == .null)
        #expect(entry?["before"]?["info"]?["company"] == "Acme")
        #expect(entry?["revisionBefore"] == 1)

        let undone = try client.result("contacts.undo", ["auditId": .int(auditId)])
        let newId = try #require(undone["contact"]?["id"]?.stringValue)
        #expect(newId != id, "Wix cannot restore ids")
        #expect(undone["contact"]?["info"]?["company"] == "Acme")
        #expect(undone["contact"]?["primaryInfo"]?["email"] == "gone@e2e.test")
        #expect(try client.result("contacts.get", ["contactId": .string(newId)])["contact"]?["revision"] == 1)

        // The old id's history shows the chain: create, delete, and the undo that restored it.
        let history = try client.result("audit.history", ["contactId": .string(id), "order": "asc"])["entries"]
        #expect(history?.arrayValue?.map { $0["operation"] } == ["create", "delete", "undo"])
        #expect(history?[2]?["restoredAs"] == .string(newId))
        #expect(history?[2]?["undoOf"] == .int(auditId))
        #expect(try client.error("contacts.undo", ["auditId": .int(auditId)])["data"]?["applicationCode"] == "UNDO_CONFLICT")
    }

    @Test(arguments: [Backend.local, .wix])
    func aSiteMemberCannotBeDeletedOrMergedAway(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let member: String
        if backend.isWix {
            // Wix's Contacts API cannot make a member (Wix Members does): the site gets one
            // through a local gateway on the emulator's own database.
            let site = try GatewayProcess(arguments: ["serve", "--db", client.emulatorDatabasePath])
            try site.send(
                .object([
                    "jsonrpc": "2.0", "id": 1, "method": "contacts.create",
                    "params": ["info": ["name": ["first": "Member"]], "member": true],
                ]))
            member = try #require(try site.nextMessage()["result"]?["contact"]?["id"]?.stringValue)
            _ = try site.finish()
        } else {
            member = try client.createContact(["name": ["first": "Member"]], extra: ["member": true])
        }
        let other = try client.createContact(["name": ["first": "Other"]])
        let refused = try client.error("contacts.delete", ["contactId": .string(member)])
        #expect(refused["code"] == -32028)
        #expect(refused["data"]?["applicationCode"] == "CANNOT_DELETE_SITE_MEMBERS")
        let merge = try client.error(
            "contacts.merge", ["targetContactId": .string(other), "sourceContactIds": [.string(member)]])
        #expect(merge["data"]?["applicationCode"] == "CANNOT_MERGE_SITE_MEMBERS")
        #expect(try client.result("contacts.get", ["contactId": .string(member)])["contact"]?["revision"] == 1)
        // A member can be the target.
        let merged = try client.result(
            "contacts.merge", ["targetContactId": .string(member), "sourceContactIds": [.string(other)]])
        #expect(merged["contact"]?["id"] == .string(member))
    }

    @Test(arguments: backends)
    func labelAndUnlabelNeedExistingLabelsBumpTheRevisionAndUndo(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let vip = try #require(client.result("labels.findOrCreate", ["displayName": "VIP"])["label"]?["key"])
        let lead = try #require(client.result("labels.findOrCreate", ["displayName": "Lead"])["label"]?["key"])
        let id = try client.createContact(["name": ["first": "Lab"]])

        let missing = try client.error("contacts.label", ["contactId": .string(id), "labelKeys": ["custom.nope"]])
        #expect(missing["code"] == -32004)
        #expect(missing["data"]?["applicationCode"] == "LABEL_NOT_FOUND")
        let badParams = try client.error("contacts.label", ["contactId": .string(id), "labelKeys": []])
        #expect(badParams["code"] == -32602)

        let labeled = try client.result("contacts.label", ["contactId": .string(id), "labelKeys": [vip, lead]])
        #expect(labeled["contact"]?["info"]?["labelKeys"] == ["items": [vip, lead]] || labeled["contact"]?["info"]?["labelKeys"] == [vip, lead])
        #expect(labeled["contact"]?["revision"] == 2)
        let again = try client.result("contacts.label", ["contactId": .string(id), "labelKeys": [vip]])
        #expect(again["contact"]?["revision"] == 3, "each call bumps the revision, as on Wix")
        let unlabeled = try client.result("contacts.unlabel", ["contactId": .string(id), "labelKeys": [vip]])
        let unlabelId = try #require(unlabeled["auditId"]?.intValue)
        let entry = try client.result("audit.get", ["auditId": .int(unlabelId)])["entry"]
        #expect(entry?["operation"] == "unlabel")
        #expect(entry?["changedFields"] == ["info.labelKeys"])

        let undone = try client.result("contacts.undo", ["auditId": .int(unlabelId)])
        let keys = try client.result("contacts.get", ["contactId": .string(id)])["contact"]?["info"]?["labelKeys"]
        #expect(undone["undid"] == .int(unlabelId))
        #expect(labelKeys(keys) == Set([vip, lead].compactMap(\.stringValue)))
    }

    @Test(arguments: backends)
    func mergeAddsTheSourcesDataDeletesThemAndUndoesAsOneGroup(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let vip = try #require(client.result("labels.findOrCreate", ["displayName": "VIP"])["label"]?["key"])
        let target = try client.createContact(
            ["name": ["first": "Target"], "emails": ["items": [["email": "t@e2e.test"]]], "company": "Keep"])
        let first = try client.createContact(
            ["name": ["first": "First"], "company": "Lose",
             "emails": ["items": [["email": "T@e2e.test"], ["email": "one@e2e.test"]]], "labelKeys": ["items": [vip]]],
            extra: ["allowDuplicates": true])
        let second = try client.createContact(
            ["name": ["first": "Second"], "emails": ["items": [["email": "two@e2e.test"]]]])
        let sources: JSONValue = [.string(first), .string(second)]

        let preview = try client.result(
            "contacts.previewMerge", ["targetContactId": .string(target), "sourceContactIds": sources])
        #expect(emails(preview["contact"]) == ["t@e2e.test", "one@e2e.test", "two@e2e.test"])
        #expect(try client.result("contacts.get", ["contactId": .string(first)])["contact"]?["id"] == .string(first))

        let stale = try client.error(
            "contacts.merge",
            ["targetContactId": .string(target), "sourceContactIds": sources, "targetContactRevision": 7])
        #expect(stale["data"]?["applicationCode"] == "CONTACT_ALREADY_CHANGED")
        let invalid = try client.error(
            "contacts.merge", ["targetContactId": .string(target), "sourceContactIds": [.string(target)]])
        #expect(invalid["data"]?["applicationCode"] == "INVALID_ARGUMENT")

        let merged = try client.result(
            "contacts.merge",
            ["targetContactId": .string(target), "sourceContactIds": sources, "targetContactRevision": 1])
        let contact = merged["contact"]
        #expect(contact?["revision"] == 2)
        #expect(emails(contact) == ["t@e2e.test", "one@e2e.test", "two@e2e.test"], "first source first, no duplicate")
        #expect(contact?["info"]?["company"] == "Keep", "nothing of the target is overwritten")
        #expect(labelKeys(contact?["info"]?["labelKeys"]) == [vip.stringValue ?? ""])
        // A get of a merged-away source answers the target.
        #expect(try client.result("contacts.get", ["contactId": .string(first)])["contact"]?["id"] == .string(target))

        let groupId = try #require(merged["groupId"]?.stringValue)
        let group = try client.result("audit.history", ["groupId": .string(groupId), "order": "asc"])["entries"]
        let operations = group?.arrayValue?.map { $0["operation"]?.stringValue ?? "" } ?? []
        #expect(operations.sorted() == ["delete", "delete", "merge"])
        let mergeEntry = group?.arrayValue?.first { $0["operation"] == "merge" }
        #expect(mergeEntry?["mergedFrom"] == sources)
        #expect(group?.arrayValue?.filter { $0["mergedInto"] == .string(target) }.count == 2)

        // Undo by the merge's auditId reverts the whole group: the target as it was, and both
        // sources back (under new ids).
        let undone = try client.result("contacts.undo", ["auditId": merged["auditId"] ?? .null])
        #expect(undone["groupId"] == .string(groupId))
        #expect(undone["reverted"]?.arrayValue?.count == 3)
        let reverted = try client.result("contacts.get", ["contactId": .string(target)])["contact"]
        #expect(emails(reverted) == ["t@e2e.test"])
        #expect(reverted?["info"]?["labelKeys"] == nil)
        let back = try client.result("contacts.query", ["filter": ["info.emails.email": "one@e2e.test"]])["contacts"]
        #expect(back?[0]?["info"]?["company"] == "Lose")
        #expect(back?[0]?["info"]?["name"]?["first"] == "First")
        // Calling again finds nothing left to undo.
        let twice = try client.result("contacts.undo", ["groupId": .string(groupId)])
        #expect(twice["reverted"] == [])
        #expect(twice["alreadyUndone"]?.arrayValue?.count == 3)
    }

    @Test(arguments: backends)
    func bulkChangesShareAGroupReportProgressAndUndoTogether(backend: Backend) throws {
        let client = try GatewayClient(backend)
        for index in 0..<30 {
            _ = try client.createContact(["name": ["first": .string("Bulk\(index)")], "company": "Old Bulk"])
        }
        _ = try client.createContact(["name": ["first": "Bystander"], "company": "Elsewhere"])
        let dry = try client.result(
            "contacts.bulkUpdate", ["filter": ["info.company": "Old Bulk"], "info": ["company": "New"], "dryRun": true])
        #expect(dry["matched"] == 30)
        #expect(try client.result("contacts.query", ["filter": ["info.company": "New"]])["pagingMetadata"]?["total"] == 0)

        let result = try client.result(
            "contacts.bulkUpdate", ["filter": ["info.company": "Old Bulk"], "info": ["company": "New Bulk"]])
        #expect(result["count"] == 30)
        #expect(result["failed"] == [])
        let groupId = try #require(result["groupId"]?.stringValue)
        let progress = client.notifications.filter { $0["method"] == "$/progress" }
        #expect(progress.last?["params"]?["completed"] == 30)
        #expect(progress.last?["params"]?["total"] == 30)
        #expect(try client.result("contacts.query", ["filter": ["info.company": "New Bulk"]])["pagingMetadata"]?["total"] == 30)

        let undone = try client.result("contacts.undo", ["groupId": .string(groupId)])
        #expect(undone["reverted"]?.arrayValue?.count == 30)
        #expect(try client.result("contacts.query", ["filter": ["info.company": "Old Bulk"]])["pagingMetadata"]?["total"] == 30)
        #expect(try client.result("contacts.query", ["filter": ["info.company": "Elsewhere"]])["pagingMetadata"]?["total"] == 1)
    }

    // Not under random faults: the one injected refusal must meet the one request it is for.
    @Test(arguments: [Backend.local, .wix])
    func aGroupUndoThatFailsSaysWhatWasRevertedAndASecondCallFinishes(backend: Backend) throws {
        let client = try GatewayClient(backend)
        var ids: [String] = []
        for index in 0..<3 {
            ids.append(try client.createContact(["name": ["first": .string("G\(index)")], "company": "Before"]))
        }
        let bulk = try client.result(
            "contacts.bulkUpdate", ["filter": ["info.company": "Before"], "info": ["company": "After"]])
        let groupId = try #require(bulk["groupId"])
        let failed: JSONValue
        if backend == .local {
            // The oldest contact's company changes again: undoing its entry (the last step) conflicts.
            _ = try client.result("contacts.forceUpdate", ["contactId": .string(ids[0]), "info": ["company": "Later"]])
            failed = try client.error("contacts.undo", ["groupId": groupId])
            #expect(failed["data"]?["applicationCode"] == "UNDO_CONFLICT")
        } else {
            // Wix refuses the oldest contact's change once (the last step, after two succeeded).
            try client.outside(
                "POST", "/_emulator/faults",
                [
                    "kind": "status", "status": 403, "count": 1, "methods": ["PATCH"],
                    "pathPrefix": .string("/contacts/v4/contacts/\(ids[0])"),
                ])
            failed = try client.error("contacts.undo", ["groupId": groupId])
            #expect(failed["data"]?["applicationCode"] == "PERMISSION_DENIED")
        }
        let reverted = failed["data"]?["reverted"]?.arrayValue ?? []
        let notReverted = failed["data"]?["notReverted"]?.arrayValue ?? []
        if backend == .local {
            // One transaction: nothing was reverted.
            #expect(reverted.isEmpty)
            #expect(notReverted.count == 3)
            #expect(try client.result("contacts.query", ["filter": ["info.company": "After"]])["pagingMetadata"]?["total"] == 2)
        } else {
            // Step by step, newest first: the two newer entries were reverted, the oldest not.
            #expect(reverted.count == 2)
            #expect(notReverted.count == 1)
            #expect(try client.result("contacts.query", ["filter": ["info.company": "Before"]])["pagingMetadata"]?["total"] == 2)
        }
        let finished = try client.result("contacts.undo", ["groupId": groupId, "mode": "force"])
        #expect(finished["reverted"]?.arrayValue?.count == notReverted.count)
        #expect(try client.result("contacts.query", ["filter": ["info.company": "Before"]])["pagingMetadata"]?["total"] == 3)
    }

    @Test(arguments: backends)
    func bulkDeleteAndLabelDeletionAreUndoable(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let tag = try #require(client.result("labels.findOrCreate", ["displayName": "Temp"])["label"]?["key"])
        for index in 0..<4 {
            _ = try client.createContact(["name": ["first": .string("Del\(index)")], "company": "Doomed", "labelKeys": ["items": [tag]]])
        }
        let removed = try client.result("labels.delete", ["key": tag])
        #expect(removed["count"] == 4)
        #expect(try client.result("labels.list")["labels"]?.arrayValue?.contains { $0["key"] == tag } == false)
        #expect(try client.error("labels.delete", ["key": tag])["data"]?["applicationCode"] == "LABEL_NOT_FOUND")

        let deleted = try client.result("contacts.bulkDelete", ["filter": ["info.company": "Doomed"]])
        #expect(deleted["count"] == 4)
        #expect(try client.result("contacts.query", ["filter": ["info.company": "Doomed"]])["pagingMetadata"]?["total"] == 0)
        _ = try client.result("contacts.undo", ["groupId": deleted["groupId"] ?? .null])
        #expect(try client.result("contacts.query", ["filter": ["info.company": "Doomed"]])["pagingMetadata"]?["total"] == 4)
    }

    @Test(arguments: backends)
    func undoOfACreateDeletesItStrictlyAndWalkingBackStillStopsAtIt(backend: Backend) throws {
        let client = try GatewayClient(backend)
        let created = try client.result("contacts.create", ["info": ["name": ["first": "Oops"]]])
        let id = try #require(created["contact"]?["id"])
        let createId = try #require(created["auditId"])
        #expect(try client.error("contacts.undo", ["contactId": id])["data"]?["applicationCode"] == "UNDO_NOT_SUPPORTED")
        _ = try client.result("contacts.update", ["contactId": id, "info": ["company": "Later"], "revision": 1])
        let conflict = try client.error("contacts.undo", ["auditId": createId])
        #expect(conflict["data"]?["applicationCode"] == "UNDO_CONFLICT")
        let forced = try client.result("contacts.undo", ["auditId": createId, "mode": "force"])
        #expect(forced["undid"] == createId)
        #expect(try client.error("contacts.get", ["contactId": id])["data"]?["applicationCode"] == "CONTACT_NOT_FOUND")
    }

    @Test(arguments: backends)
    func queryWithoutAFilterPagesTheWholeList(backend: Backend) throws {
        let client = try GatewayClient(backend)
        for index in 0..<5 { _ = try client.createContact(["name": ["first": .string("L\(index)")]]) }
        let page = try client.result("contacts.query", ["paging": ["limit": 2, "offset": 1]])
        #expect(page["contacts"]?.arrayValue?.count == 2)
        #expect(page["pagingMetadata"]?["total"] == 5)
        #expect(try client.result("extendedFields.list")["fields"]?.arrayValue?.isEmpty == false)
    }
}

private func emails(_ contact: JSONValue?) -> [String] {
    contact?["info"]?["emails"]?["items"]?.arrayValue?.compactMap { $0["email"]?.stringValue?.lowercased() } ?? []
}

private func labelKeys(_ value: JSONValue?) -> Set<String> {
    Set((value?["items"]?.arrayValue ?? value?.arrayValue ?? []).compactMap(\.stringValue))
}
