import ContactStore
import JSONCore
import Testing
import WixContacts

/// Each of the eight application errors of the seed's Update Contact reference, raised through the store.
@Suite struct ContactStoreErrorTests {
    @Test func invalidExtendedFieldValueIsRaisedForAValueOfTheWrongType() async throws {
        try await TestStore.with { t in
            let age = try await t.store.findOrCreateExtendedField(displayName: "Age", dataType: .number)
            let created = try await t.create(["name": ["first": "Ann"]])
            let error = await expectError(.invalidExtendedFieldValue) {
                try await t.update(created.id, ["extendedFields": ["items": [age.key: "forty"]]], revision: 1)
            }
            #expect(error?.httpStatus == 400)
            #expect(error?.status == "INVALID_ARGUMENT")
            #expect(error?.violatedFields == ["info.extendedFields.items.\(age.key)"])
            #expect(try await t.read(created.id).revision == 1)
        }
    }

    @Test func cannotHaveMultiplePrimaryInfoIsRaisedForTwoPrimaryEmails() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["name": ["first": "Ann"]])
            let error = await expectError(.cannotHaveMultiplePrimaryInfo) {
                try await t.update(
                    created.id,
                    [
                        "emails": [
                            "items": [
                                ["email": "a@example.com", "primary": true],
                                ["email": "b@example.com", "primary": true],
                            ]
                        ]
                    ],
                    revision: 1)
            }
            #expect(error?.httpStatus == 400)
        }
    }

    @Test func cannotHaveMultiplePrimaryInfoIsRaisedForTwoPrimaryPhones() async throws {
        try await TestStore.with { t in
            await expectError(.cannotHaveMultiplePrimaryInfo) {
                try await t.create([
                    "phones": [
                        "items": [
                            ["phone": "6465676359", "countryCode": "US", "primary": true],
                            ["phone": "2125551234", "countryCode": "US", "primary": true],
                        ]
                    ]
                ])
            }
            let count = try await t.store.count()
            #expect(count == 0)
        }
    }

    @Test func insufficientUpdateContactDataIsRaisedForAnEmptyInfo() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["name": ["first": "Ann"]])
            let error = await expectError(.insufficientUpdateContactData) {
                try await t.update(created.id, [:], revision: 1)
            }
            #expect(error?.httpStatus == 400)
            #expect(try await t.read(created.id).revision == 1)
        }
    }

    @Test func insufficientContactDataIsRaisedWhenAnUpdateRemovesNameEmailAndPhone() async throws {
        try await TestStore.with { t in
            let created = try await t.create([
                "name": ["first": "Ann"], "emails": ["items": [["email": "ann@example.com"]]], "company": "Wix",
            ])
            let error = await expectError(.insufficientContactData) {
                try await t.update(created.id, ["name": nil, "emails": ["items": []]], revision: 1)
            }
            #expect(error?.httpStatus == 400)
            #expect(try await t.read(created.id).info.name?.first == "Ann")
        }
    }

    @Test func insufficientContactDataIsRaisedForACreateWithoutNameEmailOrPhone() async throws {
        try await TestStore.with { t in
            await expectError(.insufficientContactData) {
                try await t.create(["company": "Wix", "jobTitle": "Writer"])
            }
            await expectError(.insufficientContactData) {
                _ = try await t.store.create(patch: ContactInfoPatch(setting: ContactInfo()))
            }
            await expectError(.insufficientContactData) {
                try await t.create(["name": ["first": ""], "emails": ["items": []]])
            }
            let count = try await t.store.count()
            #expect(count == 0)
        }
    }

    @Test func contactNotFoundIsRaisedForAnUnknownId() async throws {
        try await TestStore.with { t in
            let updateError = await expectError(.contactNotFound) {
                try await t.update("no-such-contact", ["company": "Wix"], revision: 1)
            }
            #expect(updateError?.httpStatus == 404)
            #expect(updateError?.status == "NOT_FOUND")
            await expectError(.contactNotFound) { _ = try await t.store.snapshot(id: "no-such-contact") }
        }
    }

    @Test func contactAlreadyChangedIsRaisedForAStaleRevisionWithCurrentRevision() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["name": ["first": "Ann"]])
            try await t.update(created.id, ["company": "A"], revision: 1)
            try await t.update(created.id, ["company": "B"], revision: 2)
            let error = await expectError(.contactAlreadyChanged) {
                try await t.update(created.id, ["company": "C"], revision: 2)
            }
            #expect(error?.httpStatus == 409)
            #expect(error?.status == "ALREADY_EXISTS")
            #expect(error?.details["currentRevision"] == 3)
            let ahead = await expectError(.contactAlreadyChanged) {
                try await t.update(created.id, ["company": "C"], revision: 7)
            }
            #expect(ahead?.details["currentRevision"] == 3)
        }
    }

    @Test func duplicateContactExistsIsRaisedForAnEmailOfAnotherContact() async throws {
        try await TestStore.with { t in
            let first = try await t.create(["emails": ["items": [["email": "Shared@Example.com"]]]])
            let second = try await t.create(["name": ["first": "Bob"]])
            let error = await expectError(.duplicateContactExists) {
                try await t.update(second.id, ["emails": ["items": [["email": "shared@example.COM"]]]], revision: 1)
            }
            #expect(error?.httpStatus == 409)
            #expect(error?.details["duplicateContactId"] == .string(first.id))
            #expect(try await t.read(second.id).info.emails == nil)
        }
    }

    @Test func cannotUpdateMemberEmailIsRaisedWhenAMembersPrimaryEmailChanges() async throws {
        try await TestStore.with { t in
            let member = try await t.create(
                ["name": ["first": "Mia"], "emails": ["items": [["email": "mia@example.com"]]]], member: true)
            let error = await expectError(.cannotUpdateMemberEmail) {
                try await t.update(member.id, ["emails": ["items": [["email": "other@example.com"]]]], revision: 1)
            }
            #expect(error?.httpStatus == 428)
            #expect(error?.status == "FAILED_PRECONDITION")
            #expect(try await t.read(member.id).primaryInfo?.email == "mia@example.com")
        }
    }

    @Test func failedUpdatesWriteNothing() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["name": ["first": "Ann"], "company": "Wix"])
            let before = try await t.store.snapshot(id: created.id)
            await expectError(.invalidArgument) {
                try await t.update(created.id, ["birthdate": "2023-02-29"], revision: 1)
            }
            await expectError(.contactAlreadyChanged) { try await t.update(created.id, ["company": "X"], revision: 5) }
            let after = try await t.store.snapshot(id: created.id)
            #expect(after.json == before.json)
        }
    }
}
