import ContactStore
import JSONCore
import Testing
import WixContacts

/// `allowDuplicates: false`: emails first, phones only when no email is sent (SPEC §4).
@Suite struct ContactStoreDuplicateTests {
    @Test func createWithAnEmailOfAnotherContactIsADuplicateIgnoringCase() async throws {
        try await TestStore.with { t in
            let first = try await t.create(["emails": ["items": [["email": "ann@example.com"]]]])
            let error = await expectError(.duplicateContactExists) {
                try await t.create(["emails": ["items": [["email": "ANN@Example.com"]]]])
            }
            #expect(error?.details["duplicateContactId"] == .string(first.id))
            #expect(try await t.store.count() == 1)
        }
    }

    @Test func anyEmailSentNotOnlyThePrimaryIsChecked() async throws {
        try await TestStore.with { t in
            let first = try await t.create([
                "emails": ["items": [["email": "a@example.com"], ["email": "b@example.com"]]]
            ])
            let error = await expectError(.duplicateContactExists) {
                try await t.create(["emails": ["items": [["email": "new@example.com"], ["email": "b@example.com"]]]])
            }
            #expect(error?.details["duplicateContactId"] == .string(first.id))
        }
    }

    @Test func phoneOfAnotherContactIsADuplicateWhenNoEmailIsSent() async throws {
        try await TestStore.with { t in
            let first = try await t.create(["phones": ["items": [["phone": "646-567-6359", "countryCode": "US"]]]])
            let error = await expectError(.duplicateContactExists) {
                try await t.create(["phones": ["items": [["phone": "(646) 567 6359", "countryCode": "US"]]]])
            }
            #expect(error?.details["duplicateContactId"] == .string(first.id))
        }
    }

    @Test func invalidPhonesCompareOnTheirDigits() async throws {
        try await TestStore.with { t in
            let first = try await t.create(["phones": ["items": [["phone": "12-34"]]]])
            let error = await expectError(.duplicateContactExists) {
                try await t.create(["phones": ["items": [["phone": "1234"]]]])
            }
            #expect(error?.details["duplicateContactId"] == .string(first.id))
        }
    }

    @Test func phoneOfAnotherContactIsNotCheckedWhenAnEmailIsSent() async throws {
        try await TestStore.with { t in
            try await t.create(["phones": ["items": [["phone": "646-567-6359", "countryCode": "US"]]]])
            let second = try await t.create([
                "emails": ["items": [["email": "unique@example.com"]]],
                "phones": ["items": [["phone": "646-567-6359", "countryCode": "US"]]],
            ])
            #expect(second.primaryPhone?.e164Phone == "+16465676359")
            #expect(try await t.store.count() == 2)
        }
    }

    @Test func allowDuplicatesBypassesTheCheck() async throws {
        try await TestStore.with { t in
            let first = try await t.create(["emails": ["items": [["email": "ann@example.com"]]]])
            let second = try await t.create(
                ["emails": ["items": [["email": "ann@example.com"]]]], allowDuplicates: true)
            #expect(second.id != first.id)
            let third = try await t.create(["name": ["first": "Bob"]])
            let updated = try await t.update(
                third.id, ["emails": ["items": [["email": "ann@example.com"]]]], revision: 1, allowDuplicates: true)
            #expect(updated.primaryInfo?.email == "ann@example.com")
        }
    }

    @Test func aContactIsNotADuplicateOfItself() async throws {
        try await TestStore.with { t in
            let created = try await t.create([
                "emails": ["items": [["email": "ann@example.com"]]],
                "phones": ["items": [["phone": "6465676359", "countryCode": "US"]]],
            ])
            let updated = try await t.update(
                created.id, ["emails": ["items": [["email": "ANN@example.com"]]]], revision: 1)
            #expect(updated.revision == 2)
            let again = try await t.update(
                created.id, ["phones": ["items": [["phone": "646 567 6359", "countryCode": "US"]]]], revision: 2)
            #expect(again.revision == 3)
        }
    }

    @Test func updateThatDoesNotSendEmailsOrPhonesIsNeverADuplicate() async throws {
        try await TestStore.with { t in
            try await t.create(["emails": ["items": [["email": "ann@example.com"]]]])
            let second = try await t.create(
                ["emails": ["items": [["email": "ann@example.com"]]]], allowDuplicates: true)
            let updated = try await t.update(second.id, ["company": "Wix"], revision: 1)
            #expect(updated.info.company == "Wix")
        }
    }

    @Test func freedEmailCanBeReused() async throws {
        try await TestStore.with { t in
            let first = try await t.create([
                "name": ["first": "Ann"], "emails": ["items": [["email": "ann@example.com"]]],
            ])
            try await t.update(first.id, ["emails": ["items": [["email": "ann.new@example.com"]]]], revision: 1)
            let second = try await t.create(["emails": ["items": [["email": "ann@example.com"]]]])
            #expect(second.primaryInfo?.email == "ann@example.com")
        }
    }
}
