import ContactStore
import JSONCore
import Testing
import WixContacts

/// Primary items, derived summaries and phone number derivation (SPEC §4).
@Suite struct ContactStorePrimaryAndPhoneTests {
    @Test func firstItemBecomesPrimaryWhenNoneIsSent() async throws {
        try await TestStore.with { t in
            let created = try await t.create([
                "emails": ["items": [["email": "a@example.com"], ["email": "b@example.com"]]],
                "phones": [
                    "items": [
                        ["phone": "6465676359", "countryCode": "US"], ["phone": "2125551234", "countryCode": "US"],
                    ]
                ],
            ])
            #expect(created.info.emails?.map(\.primary) == [true, false])
            #expect(created.info.phones?.map(\.primary) == [true, false])
            #expect(created.primaryInfo == PrimaryContactInfo(email: "a@example.com", phone: "6465676359"))
        }
    }

    @Test func settingPrimaryOnOneItemMakesTheOthersNonPrimary() async throws {
        try await TestStore.with { t in
            let created = try await t.create([
                "emails": ["items": [["email": "a@example.com", "primary": true], ["email": "b@example.com"]]],
                "phones": [
                    "items": [
                        ["phone": "6465676359", "countryCode": "US", "primary": true],
                        ["phone": "2125551234", "countryCode": "US"],
                    ]
                ],
            ])
            #expect(
                created.primaryEmail
                    == PrimaryEmail(email: "a@example.com", subscriptionStatus: .notSet, deliverabilityStatus: .notSet))
            let emails = try #require(created.info.emails)
            let phones = try #require(created.info.phones)
            let updated = try await t.update(
                created.id,
                [
                    "emails": [
                        "items": [
                            ["id": .string(emails[0].id!), "email": "a@example.com"],
                            ["id": .string(emails[1].id!), "email": "b@example.com", "primary": true],
                        ]
                    ],
                    "phones": [
                        "items": [
                            ["id": .string(phones[0].id!), "phone": "6465676359", "countryCode": "US"],
                            [
                                "id": .string(phones[1].id!), "phone": "2125551234", "countryCode": "US",
                                "primary": true,
                            ],
                        ]
                    ],
                ],
                revision: 1)
            #expect(updated.info.emails?.map(\.primary) == [false, true])
            #expect(updated.info.emails?.map(\.id) == emails.map(\.id))
            #expect(updated.info.phones?.map(\.primary) == [false, true])
            #expect(updated.primaryInfo == PrimaryContactInfo(email: "b@example.com", phone: "2125551234"))
            #expect(
                updated.primaryEmail
                    == PrimaryEmail(email: "b@example.com", subscriptionStatus: .notSet, deliverabilityStatus: .notSet))
            #expect(updated.primaryPhone?.phone == "2125551234")
            #expect(updated.primaryPhone?.e164Phone == "+12125551234")
        }
    }

    @Test func israeliNumberGetsE164Phone() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["phones": ["items": [["phone": "097495550", "countryCode": "IL"]]]])
            #expect(created.info.phones?.first?.e164Phone == "+97297495550")
            #expect(created.primaryPhone?.e164Phone == "+97297495550")
            #expect(created.primaryPhone?.countryCode == "IL")
        }
    }

    @Test func usNumberGetsE164AndFormattedPhone() async throws {
        try await TestStore.with { t in
            let created = try await t.create([
                "phones": ["items": [["phone": "646-567-6359", "countryCode": "US", "tag": "MOBILE"]]]
            ])
            let phone = try #require(created.info.phones?.first)
            #expect(phone.e164Phone == "+16465676359")
            #expect(phone.phone == "646-567-6359")
            #expect(
                created.primaryPhone
                    == PrimaryPhone(
                        countryCode: "US", e164Phone: "+16465676359", formattedPhone: "+1 646-567-6359",
                        subscriptionStatus: .notSet, phone: "646-567-6359"))
            #expect(created.primaryInfo?.phone == "646-567-6359")
        }
    }

    @Test func invalidNumberGetsNoE164PhoneAndNoError() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["phones": ["items": [["phone": "123", "countryCode": "US"]]]])
            let phone = try #require(created.info.phones?.first)
            #expect(phone.phone == "123")
            #expect(phone.e164Phone == nil)
            #expect(created.primaryPhone?.e164Phone == nil)
            #expect(created.primaryPhone?.formattedPhone == nil)
            #expect(created.primaryPhone?.subscriptionStatus == .noSubscriptionStatus)
        }
    }

    @Test func e164PhoneSentByTheClientIsIgnored() async throws {
        try await TestStore.with { t in
            let created = try await t.create([
                "phones": [
                    "items": [
                        [
                            "phone": "646-567-6359", "countryCode": "US", "e164Phone": "+10000000000",
                            "formattedPhone": "bogus",
                        ]
                    ]
                ]
            ])
            #expect(created.info.phones?.first?.e164Phone == "+16465676359")
            #expect(created.primaryPhone?.formattedPhone == "+1 646-567-6359")
        }
    }

    @Test func derivedE164FollowsAnUpdatedNumber() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["phones": ["items": [["phone": "646-567-6359", "countryCode": "US"]]]])
            let id = try #require(created.info.phones?.first?.id)
            let updated = try await t.update(
                created.id, ["phones": ["items": [["id": .string(id), "phone": "097495550", "countryCode": "il"]]]],
                revision: 1)
            let phone = try #require(updated.info.phones?.first)
            #expect(phone.id == id)
            #expect(phone.countryCode == "IL")
            #expect(phone.e164Phone == "+97297495550")
            #expect(updated.primaryPhone?.e164Phone == "+97297495550")
        }
    }

    @Test func displayNamesAreDerivedFromTheName() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["name": ["first": "John", "last": "Doe"]])
            #expect(created.info.extendedFields?["contacts.displayByFirstName"] == "John Doe")
            #expect(created.info.extendedFields?["contacts.displayByLastName"] == "Doe John")
            let updated = try await t.update(created.id, ["name": ["first": "Jane"]], revision: 1)
            #expect(updated.info.extendedFields?["contacts.displayByFirstName"] == "Jane")
            #expect(updated.info.extendedFields?["contacts.displayByLastName"] == "Jane")
        }
    }

    @Test func memberContactCanChangeOtherFieldsButNotItsPrimaryEmail() async throws {
        try await TestStore.with { t in
            let member = try await t.create(
                ["name": ["first": "Mia"], "emails": ["items": [["email": "mia@example.com"]]]], member: true)
            let emailID = try #require(member.info.emails?.first?.id)
            let renamed = try await t.update(
                member.id,
                [
                    "name": ["first": "Mia", "last": "Wong"], "company": "Wix",
                    "emails": [
                        "items": [
                            ["id": .string(emailID), "email": "mia@example.com", "primary": true],
                            ["email": "mia.home@example.com"],
                        ]
                    ],
                ],
                revision: 1)
            #expect(renamed.revision == 2)
            #expect(renamed.info.company == "Wix")
            #expect(renamed.info.emails?.count == 2)
            await expectError(.cannotUpdateMemberEmail) {
                try await t.update(
                    member.id,
                    [
                        "emails": [
                            "items": [
                                ["email": "mia@example.com"], ["email": "mia.home@example.com", "primary": true],
                            ]
                        ]
                    ],
                    revision: 2)
            }
            await expectError(.cannotUpdateMemberEmail) {
                try await t.update(member.id, ["emails": nil], revision: 2)
            }
            #expect(try await t.read(member.id).primaryInfo?.email == "mia@example.com")
        }
    }

    @Test func nonMemberCanChangeItsPrimaryEmail() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["emails": ["items": [["email": "a@example.com"]]]])
            let updated = try await t.update(
                created.id, ["emails": ["items": [["email": "b@example.com"]]]], revision: 1)
            #expect(updated.primaryInfo?.email == "b@example.com")
        }
    }

    @Test func derivedPhoneValuesSentBackAreNotChanges() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["phones": ["items": [["phone": "646-567-6359", "countryCode": "US"]]]])
            let id = try #require(created.info.phones?.first?.id)
            let change = try await t.store.update(
                id: created.id,
                patch: ContactInfoPatch(json: [
                    "phones": [
                        "items": [
                            [
                                "id": .string(id), "phone": "646-567-6359", "countryCode": "US", "primary": true,
                                "e164Phone": "+19999999999", "formattedPhone": "+1 999-999-9999",
                            ]
                        ]
                    ]
                ]),
                revision: 1)
            #expect(change.changedFields.isEmpty)
            #expect(change.after.info.phones == created.info.phones)
        }
    }
}
