import ContactStore
import JSONCore
import Testing
import WixContacts

/// SPEC §4 update rules: revisions, partial updates, whole-list replacement, item ids, clearing.
@Suite struct ContactStoreUpdateTests {
    static let john: JSONValue = [
        "name": ["first": "John", "last": "Doe"],
        "emails": ["items": [["email": "john@example.com", "tag": "WORK"]]],
        "phones": ["items": [["phone": "646-567-6359", "countryCode": "US", "tag": "MOBILE"]]],
        "company": "Wix",
        "jobTitle": "Writer",
    ]

    @Test func successfulUpdateIncrementsRevisionByOneAndSetsUpdatedDate() async throws {
        try await TestStore.with { t in
            let created = try await t.create(Self.john)
            #expect(created.revision == 1)
            #expect(created.createdDate == TestStore.timestamp(reading: 1))
            let updated = try await t.update(created.id, ["company": "Acme"], revision: 1)
            #expect(updated.revision == 2)
            #expect(updated.updatedDate == TestStore.timestamp(reading: 2))
            #expect(updated.createdDate == created.createdDate)
            let again = try await t.update(created.id, ["jobTitle": "Editor"], revision: 2)
            #expect(again.revision == 3)
            #expect(again.updatedDate == TestStore.timestamp(reading: 3))
            #expect(try await t.read(created.id).revision == 3)
        }
    }

    @Test func staleRevisionIsRejectedWithCurrentRevision() async throws {
        try await TestStore.with { t in
            let created = try await t.create(Self.john)
            try await t.update(created.id, ["company": "Acme"], revision: 1)
            let error = await expectError(.contactAlreadyChanged) {
                try await t.update(created.id, ["company": "Other"], revision: 1)
            }
            #expect(error?.details["currentRevision"] == 2)
            #expect(try await t.read(created.id).info.company == "Acme")
        }
    }

    @Test func omittedTopLevelFieldsAreKept() async throws {
        try await TestStore.with { t in
            let created = try await t.create(Self.john)
            let updated = try await t.update(created.id, ["company": "Acme"], revision: 1)
            #expect(updated.info.company == "Acme")
            #expect(updated.info.jobTitle == "Writer")
            #expect(updated.info.name == ContactName(first: "John", last: "Doe"))
            #expect(updated.info.emails == created.info.emails)
            #expect(updated.info.phones == created.info.phones)
        }
    }

    @Test func sentObjectFieldReplacesTheStoredOneWhole() async throws {
        try await TestStore.with { t in
            let created = try await t.create(Self.john)
            let updated = try await t.update(created.id, ["name": ["first": "Jane"]], revision: 1)
            #expect(updated.info.name == ContactName(first: "Jane", last: nil))
        }
    }

    @Test func listsAreReplacedWhole() async throws {
        try await TestStore.with { t in
            let created = try await t.create([
                "emails": [
                    "items": [["email": "a@example.com"], ["email": "b@example.com"], ["email": "c@example.com"]]
                ]
            ])
            let updated = try await t.update(
                created.id, ["emails": ["items": [["email": "z@example.com"]]]], revision: 1)
            #expect(updated.info.emails?.map(\.email) == ["z@example.com"])
            #expect(updated.primaryInfo?.email == "z@example.com")
        }
    }

    @Test func itemIdsAreKeptWhenSentBackAndNewItemsGetNewIds() async throws {
        try await TestStore.with { t in
            let created = try await t.create([
                "emails": ["items": [["email": "a@example.com"], ["email": "b@example.com"]]]
            ])
            let ids = (created.info.emails ?? []).compactMap(\.id)
            #expect(ids.count == 2)
            #expect(Set(ids).count == 2)
            let updated = try await t.update(
                created.id,
                [
                    "emails": [
                        "items": [
                            ["id": .string(ids[1]), "email": "b@example.com"],
                            ["email": "new@example.com"],
                            ["id": "not-a-stored-id", "email": "c@example.com"],
                        ]
                    ]
                ],
                revision: 1)
            let emails = try #require(updated.info.emails)
            #expect(emails.map(\.email) == ["b@example.com", "new@example.com", "c@example.com"])
            #expect(emails[0].id == ids[1])
            let newIDs = emails[1...].compactMap(\.id)
            #expect(newIDs.count == 2)
            #expect(Set(newIDs + ids).count == 4)
            #expect(!newIDs.contains("not-a-stored-id"))
        }
    }

    @Test(arguments: ["company", "jobTitle", "birthdate", "locale"])
    func scalarSentAsEmptyStringOrNullIsCleared(field: String) async throws {
        try await TestStore.with { t in
            let created = try await t.create([
                "name": ["first": "Ann"], "company": "Wix", "jobTitle": "Writer", "birthdate": "1995-04-25",
                "locale": "en-US",
            ])
            #expect(created.info.fieldJSON(field) != nil)
            let withEmpty = try await t.update(created.id, .object([field: ""]), revision: 1)
            #expect(withEmpty.info.fieldJSON(field) == nil)
            let restored = try await t.update(created.id, .object([field: created.info.fieldJSON(field)!]), revision: 2)
            #expect(restored.info.fieldJSON(field) == created.info.fieldJSON(field))
            let withNull = try await t.update(created.id, .object([field: nil]), revision: 3)
            #expect(withNull.info.fieldJSON(field) == nil)
            #expect(try await t.read(created.id).info.fieldJSON(field) == nil)
        }
    }

    @Test func objectSentAsNullIsCleared() async throws {
        try await TestStore.with { t in
            let created = try await t.create([
                "name": ["first": "Ann"], "emails": ["items": [["email": "ann@example.com"]]],
                "picture": ["image": ["url": "https://example.com/a.png"]],
            ])
            #expect(created.info.picture?.image?.url == "https://example.com/a.png")
            let updated = try await t.update(created.id, ["name": nil, "picture": nil], revision: 1)
            #expect(updated.info.name == nil)
            #expect(updated.info.picture == nil)
            #expect(updated.info.extendedFields?["contacts.displayByFirstName"] == nil)
        }
    }

    @Test func listSentWithNoItemsIsCleared() async throws {
        try await TestStore.with { t in
            let created = try await t.create(Self.john)
            let updated = try await t.update(created.id, ["phones": ["items": []]], revision: 1)
            #expect(updated.info.phones == nil)
            #expect(updated.primaryPhone == nil)
            #expect(updated.primaryInfo == PrimaryContactInfo(email: "john@example.com"))
            let stored = try await t.store.snapshot(id: created.id).json.parsed()
            #expect(stored["info"]?["phones"] == nil)
        }
    }

    @Test func createStartsAtRevisionOneWithSourceOtherByDefault() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["name": ["first": "Ann"]])
            #expect(created.revision == 1)
            #expect(created.source == ContactSource(sourceType: .other))
            #expect(created.createdDate == "2026-11-29T10:00:00.000Z")
            #expect(created.updatedDate == "2026-11-29T10:00:00.000Z")
            #expect(created.lastActivity?.activityType == .contactCreated)
            #expect(try await t.store.count() == 1)
        }
    }

    @Test func memberCreateHasSiteMembersSource() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["emails": ["items": [["email": "m@example.com"]]]], member: true)
            #expect(created.source?.sourceType == .siteMembers)
        }
    }

    @Test func storedJSONEqualsTheJSONOfTheReturnedContact() async throws {
        try await TestStore.with { t in
            let created = try await t.store.create(patch: ContactInfoPatch(json: Self.john))
            let stored = try await t.store.snapshot(id: created.after.id)
            #expect(try stored.json.parsed() == created.after.json)
            #expect(stored.revision == 1)
            let updated = try await t.store.update(
                id: created.after.id, patch: ContactInfoPatch(json: ["company": "Acme"]), revision: 1)
            let storedAfter = try await t.store.snapshot(id: created.after.id)
            #expect(try storedAfter.json.parsed() == updated.after.json)
            #expect(try storedAfter.contact() == updated.after)
            #expect(updated.changedFields == ["company"])
        }
    }

    @Test func wholeInfoAsReadCanBeSentBackUnchanged() async throws {
        try await TestStore.with { t in
            let field = try await t.store.findOrCreateExtendedField(displayName: "Nickname", dataType: .text)
            let label = try await t.store.findOrCreateLabel(displayName: "VIP")
            var info = Self.john.objectValue!
            info["labelKeys"] = ["items": [.string(label.key)]]
            info["extendedFields"] = ["items": [field.key: "Jonny"]]
            info["addresses"] = [
                "items": [["tag": "HOME", "address": ["addressLine": "3 Park Ave", "country": "US"]]]
            ]
            info["birthdate"] = "1995-04-25"
            let created = try await t.create(.object(info))
            let asRead = try #require(try await t.store.snapshot(id: created.id).json.parsed()["info"])
            #expect(asRead["phones"]?["items"]?.arrayValue?.first?["e164Phone"] == "+16465676359")
            #expect(asRead["extendedFields"]?["items"]?["contacts.displayByFirstName"] == "John Doe")

            let updated = try await t.store.update(id: created.id, patch: ContactInfoPatch(json: asRead), revision: 1)
            #expect(updated.after.revision == 2)
            #expect(updated.after.info == created.info)
            #expect(updated.after.primaryInfo == created.primaryInfo)
            #expect(updated.after.primaryEmail == created.primaryEmail)
            #expect(updated.after.primaryPhone == created.primaryPhone)
            #expect(updated.changedFields.isEmpty)
            var expected = created
            expected.revision = 2
            expected.updatedDate = updated.after.updatedDate
            #expect(updated.after == expected)
        }
    }

    @Test func changedFieldsListOnlyWritableTopLevelFields() async throws {
        try await TestStore.with { t in
            let created = try await t.store.create(
                patch: ContactInfoPatch(json: ["name": ["first": "Ann"], "company": "Wix"]))
            #expect(created.changedFields == ["name", "company"])
            let renamed = try await t.store.update(
                id: created.after.id, patch: ContactInfoPatch(json: ["name": ["first": "Bea"], "jobTitle": "CTO"]),
                revision: 1)
            #expect(renamed.changedFields == ["name", "jobTitle"])
            let cleared = try await t.store.update(
                id: created.after.id, patch: ContactInfoPatch(json: ["company": nil]), revision: 2)
            #expect(cleared.changedFields == ["company"])
        }
    }
}
