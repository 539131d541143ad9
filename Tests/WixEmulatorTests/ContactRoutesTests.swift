import JSONCore
import Testing
import WixContacts
import WixEmulator

/// The success path of every contact and catalog route.
@Suite struct ContactRoutesTests {
    @Test func getReturnsTheStoredContactBytesVerbatim() async throws {
        try await EmulatorHarness.with { h in
            let id = try await h.seed(["name": ["first": "Ada"], "emails": ["items": [["email": "ada@example.com"]]]])
            let stored = try await h.store.snapshot(id: id)
            try await h.test { client in
                let response = try await client.execute(
                    uri: "/contacts/v4/contacts/\(id)", method: .get, headers: EmulatorHarness.authorized)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                // The contact is spliced, not re-encoded: the body is exactly {"contact":<stored bytes>}.
                let expected = Array(#"{"contact":"#.utf8) + stored.json.bytes + Array("}".utf8)
                #expect(Array(response.body.readableBytesView) == expected)
            }
        }
    }

    @Test func createReturnsTheNewContactAtRevisionOne() async throws {
        try await EmulatorHarness.with { h in
            try await h.test { client in
                let reply = try await client.call(
                    .post, "/contacts/v4/contacts",
                    json: ["info": ["name": ["first": "Grace", "last": "Hopper"]], "allowDuplicates": false])
                #expect(reply.status == 200)
                let contact = try #require(reply.json["contact"])
                #expect(contact["revision"]?.intValue == 1)
                #expect(contact["info"]?["name"]?["last"]?.stringValue == "Hopper")
                let id = try #require(contact["id"]?.stringValue)
                #expect(try await h.store.snapshot(id: id).revision == 1)
            }
        }
    }

    @Test func patchAppliesTheUpdateAndIncrementsTheRevision() async throws {
        try await EmulatorHarness.with { h in
            let id = try await h.seed(["name": ["first": "Ada"]])
            try await h.test { client in
                let reply = try await client.call(
                    .patch, "/contacts/v4/contacts/\(id)", json: ["info": ["company": "Wix"], "revision": 1])
                #expect(reply.status == 200)
                #expect(reply.json["contact"]?["revision"]?.intValue == 2)
                #expect(reply.json["contact"]?["info"]?["company"]?.stringValue == "Wix")
                #expect(reply.json["contact"]?["info"]?["name"]?["first"]?.stringValue == "Ada")
            }
        }
    }

    @Test func queryFiltersSortsAndPages() async throws {
        try await EmulatorHarness.with { h in
            for name in ["Cy", "Ab", "Bo"] {
                _ = try await h.seed(["name": ["first": .string(name)], "company": "Wix"])
            }
            _ = try await h.seed(["name": ["first": "Zed"], "company": "Other"])
            try await h.test { client in
                let reply = try await client.call(
                    .post, "/contacts/v4/contacts/query",
                    json: [
                        "query": [
                            "filter": ["info.company": "Wix"],
                            "sort": [["fieldName": "info.name.first", "order": "ASC"]],
                            "paging": ["limit": 2, "offset": 1],
                        ]
                    ])
                #expect(reply.status == 200)
                let names = reply.json["contacts"]?.arrayValue?.compactMap {
                    $0["info"]?["name"]?["first"]?.stringValue
                }
                #expect(names == ["Bo", "Cy"])
                #expect(reply.json["pagingMetadata"] == ["count": 2, "offset": 1, "total": 3])
            }
        }
    }

    @Test func queryWithoutABodyListsEveryContact() async throws {
        try await EmulatorHarness.with { h in
            _ = try await h.seed(["name": ["first": "Ada"]])
            try await h.test { client in
                let reply = try await client.call(.post, "/contacts/v4/contacts/query")
                #expect(reply.status == 200)
                #expect(reply.json["pagingMetadata"]?["total"]?.intValue == 1)
            }
        }
    }

    @Test func labelsAndExtendedFieldsAreFoundOrCreated() async throws {
        try await EmulatorHarness.with { h in
            try await h.test { client in
                let label = try await client.call(.post, "/contacts/v4/labels", json: ["displayName": "VIP Customers"])
                #expect(label.status == 200)
                #expect(label.json == ["label": ["key": "custom.vip-customers", "displayName": "VIP Customers"]])
                let again = try await client.call(.post, "/contacts/v4/labels", json: ["displayName": "vip customers"])
                #expect(again.json["label"]?["key"]?.stringValue == "custom.vip-customers")
                _ = try await client.call(.post, "/contacts/v4/labels", json: ["displayName": "Alpha"])
                let listed = try await client.call(.get, "/contacts/v4/labels")
                #expect(listed.status == 200)
                #expect(
                    listed.json == [
                        "labels": [
                            ["key": "custom.alpha", "displayName": "Alpha"],
                            ["key": "custom.vip-customers", "displayName": "VIP Customers"],
                        ],
                        "pagingMetadata": ["count": 2, "offset": 0, "total": 2],
                    ])

                let field = try await client.call(
                    .post, "/contacts/v4/extended-fields", json: ["displayName": "Shoe Size", "dataType": "NUMBER"])
                #expect(field.status == 200)
                #expect(
                    field.json == [
                        "field": ["key": "custom.shoe-size", "displayName": "Shoe Size", "dataType": "NUMBER"]
                    ])

                let badType = try await client.call(
                    .post, "/contacts/v4/extended-fields", json: ["displayName": "X", "dataType": "COLOR"])
                #expect(badType.status == 400)
                #expect(badType.violatedFields == ["dataType"])
            }
        }
    }
}
