import ContactStore
import JSONCore
import Testing
import WixContacts

/// Labels and extended fields: find-or-create, typed validation, read-only system keys, merging.
@Suite struct ContactStoreCatalogTests {
    @Test func findOrCreateLabelReturnsTheSameLabelForTheSameName() async throws {
        try await TestStore.with { t in
            let label = try await t.store.findOrCreateLabel(displayName: "VIP Customers!")
            #expect(label.key == "custom.vip-customers")
            #expect(label.displayName == "VIP Customers!")
            #expect(try await t.store.findOrCreateLabel(displayName: "vip customers!") == label)
            #expect(try await t.store.labels() == [label])
        }
    }

    @Test func existingLabelCanBeSetAndUnknownLabelIsRejected() async throws {
        try await TestStore.with { t in
            let label = try await t.store.findOrCreateLabel(displayName: "Lead")
            let created = try await t.create(["name": ["first": "Ann"], "labelKeys": ["items": [.string(label.key)]]])
            #expect(created.info.labelKeys == ["custom.lead"])
            let error = await expectError(.invalidArgument) {
                try await t.update(
                    created.id, ["labelKeys": ["items": [.string(label.key), "custom.unknown"]]], revision: 1)
            }
            #expect(error?.violatedFields == ["info.labelKeys.items[1]"])
            #expect(try await t.read(created.id).info.labelKeys == ["custom.lead"])
        }
    }

    @Test func findOrCreateExtendedFieldKeepsItsTypeAndRejectsAnotherType() async throws {
        try await TestStore.with { t in
            let field = try await t.store.findOrCreateExtendedField(displayName: "Shoe Size", dataType: .number)
            #expect(field.key == "custom.shoe-size")
            #expect(field.displayName == "Shoe Size")
            #expect(field.dataType == .number)
            #expect(try await t.store.findOrCreateExtendedField(displayName: "shoe size", dataType: .number) == field)
            let error = await expectError(.invalidArgument) {
                _ = try await t.store.findOrCreateExtendedField(displayName: "Shoe Size", dataType: .text)
            }
            #expect(error?.violatedFields == ["dataType"])
        }
    }

    @Test(arguments: [
        (ExtendedFieldType.text, JSONValue.string("hello"), JSONValue.int(5)),
        (.number, .double(42.5), .string("42")),
        (.date, .string("2024-02-29"), .string("2023-02-29")),
        (.url, .string("https://example.com/x"), .string("ftp://example.com")),
    ])
    func extendedFieldValuesMustMatchTheirType(type: ExtendedFieldType, valid: JSONValue, invalid: JSONValue)
        async throws
    {
        try await TestStore.with { t in
            let field = try await t.store.findOrCreateExtendedField(
                displayName: "Field \(type.rawValue)", dataType: type)
            let created = try await t.create([
                "name": ["first": "Ann"], "extendedFields": ["items": [field.key: valid]],
            ])
            #expect(created.info.extendedFields?[field.key] == valid)
            let error = await expectError(.invalidExtendedFieldValue) {
                try await t.update(created.id, ["extendedFields": ["items": [field.key: invalid]]], revision: 1)
            }
            #expect(error?.violatedFields == ["info.extendedFields.items.\(field.key)"])
            #expect(try await t.read(created.id).info.extendedFields?[field.key] == valid)
        }
    }

    @Test func unknownExtendedFieldKeyIsRejected() async throws {
        try await TestStore.with { t in
            let error = await expectError(.invalidExtendedFieldValue) {
                try await t.create(["name": ["first": "Ann"], "extendedFields": ["items": ["custom.nope": "x"]]])
            }
            #expect(error?.violatedFields == ["info.extendedFields.items.custom.nope"])
        }
    }

    @Test func extendedFieldItemsMergeKeyByKey() async throws {
        try await TestStore.with { t in
            let nickname = try await t.store.findOrCreateExtendedField(displayName: "Nickname", dataType: .text)
            let size = try await t.store.findOrCreateExtendedField(displayName: "Size", dataType: .number)
            let site = try await t.store.findOrCreateExtendedField(displayName: "Site", dataType: .url)
            let created = try await t.create([
                "name": ["first": "Ann"],
                "extendedFields": ["items": [nickname.key: "Annie", size.key: 38, site.key: "https://ann.example"]],
            ])
            let updated = try await t.update(
                created.id, ["extendedFields": ["items": [nickname.key: "Nan", size.key: nil]]], revision: 1)
            let fields = try #require(updated.info.extendedFields)
            #expect(fields[nickname.key] == "Nan")
            #expect(fields[size.key] == nil)
            #expect(fields[site.key] == "https://ann.example")
            #expect(fields["contacts.displayByFirstName"] == "Ann")
            #expect(updated.info.name?.first == "Ann")
        }
    }

    @Test func readOnlySystemKeySentUnchangedIsIgnored() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["name": ["first": "John", "last": "Doe"]])
            let updated = try await t.update(
                created.id,
                ["company": "Wix", "extendedFields": ["items": ["contacts.displayByFirstName": "John Doe"]]],
                revision: 1)
            #expect(updated.revision == 2)
            #expect(updated.info.company == "Wix")
            #expect(updated.info.extendedFields?["contacts.displayByFirstName"] == "John Doe")
        }
    }

    @Test func readOnlySystemKeySentChangedIsRejected() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["name": ["first": "John", "last": "Doe"]])
            let error = await expectError(.invalidExtendedFieldValue) {
                try await t.update(
                    created.id, ["extendedFields": ["items": ["contacts.displayByFirstName": "Someone Else"]]],
                    revision: 1)
            }
            #expect(error?.violatedFields == ["info.extendedFields.items.contacts.displayByFirstName"])
            await expectError(.invalidExtendedFieldValue) {
                try await t.update(
                    created.id, ["extendedFields": ["items": ["emailSubscriptions.subscriptionStatus": "SUBSCRIBED"]]],
                    revision: 1)
            }
            #expect(try await t.read(created.id).revision == 1)
        }
    }

    @Test func fiftyOneEmailsAreRejectedNamingTheList() async throws {
        try await TestStore.with { t in
            let fifty = (1...50).map { JSONValue.object(["email": .string("user\($0)@example.com")]) }
            let created = try await t.create(["emails": ["items": .array(fifty)]])
            #expect(created.info.emails?.count == 50)
            let fiftyOne = fifty + [["email": "user51@example.com"]]
            let error = await expectError(.invalidArgument) {
                try await t.update(created.id, ["emails": ["items": .array(fiftyOne)]], revision: 1)
            }
            #expect(error?.violatedFields == ["info.emails.items"])
        }
    }

    @Test func birthdateMustBeARealDate() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["name": ["first": "Ann"], "birthdate": "2024-02-29"])
            #expect(created.info.birthdate == "2024-02-29")
            for invalid in ["2023-02-29", "2023-13-01", "1995-4-25", "yesterday"] {
                let error = await expectError(.invalidArgument) {
                    try await t.update(created.id, ["birthdate": .string(invalid)], revision: 1)
                }
                #expect(error?.violatedFields == ["info.birthdate"])
            }
        }
    }

    @Test func localeMustBeABCP47Tag() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["name": ["first": "Ann"], "locale": "en-US"])
            #expect(created.info.locale == "en-US")
            let error = await expectError(.invalidArgument) {
                try await t.update(created.id, ["locale": "english!"], revision: 1)
            }
            #expect(error?.violatedFields == ["info.locale"])
        }
    }

    @Test func unknownEnumTagsAreRejected() async throws {
        try await TestStore.with { t in
            let error = await expectError(.invalidArgument) {
                try await t.create([
                    "emails": ["items": [["email": "a@example.com", "tag": "PERSONAL"]]],
                    "phones": ["items": [["phone": "6465676359", "tag": "PAGER"]]],
                    "addresses": ["items": [["tag": "MOON", "address": ["city": "NY"]]]],
                ])
            }
            #expect(
                error?.violatedFields == [
                    "info.emails.items[0].tag", "info.phones.items[0].tag", "info.addresses.items[0].tag",
                ])
            let created = try await t.create([
                "emails": ["items": [["email": "a@example.com", "tag": "WORK"]]],
                "phones": ["items": [["phone": "6465676359", "tag": "FAX"]]],
                "addresses": ["items": [["tag": "SHIPPING", "address": ["city": "NY"]]]],
            ])
            #expect(created.info.addresses?.first?.tag == "SHIPPING")
        }
    }

    @Test func extendedFieldsSentAsNullClearWritableKeysAndKeepDerivedOnes() async throws {
        try await TestStore.with { t in
            let nickname = try await t.store.findOrCreateExtendedField(displayName: "Nickname", dataType: .text)
            let created = try await t.create([
                "name": ["first": "Ann", "last": "Lee"], "extendedFields": ["items": [nickname.key: "Annie"]],
            ])
            let updated = try await t.update(created.id, ["extendedFields": nil], revision: 1)
            #expect(
                updated.info.extendedFields
                    == ["contacts.displayByFirstName": "Ann Lee", "contacts.displayByLastName": "Lee Ann"])
            #expect(updated.info.name == created.info.name)
        }
    }

    @Test func readModifyWriteWithAChangedNameRederivesTheDisplayNames() async throws {
        try await TestStore.with { t in
            let created = try await t.create(["name": ["first": "John", "last": "Doe"]])
            var info = try #require(try await t.store.snapshot(id: created.id).json.parsed()["info"]?.objectValue)
            info["name"] = ["first": "Jane", "last": "Roe"]
            let updated = try await t.update(created.id, .object(info), revision: 1)
            #expect(updated.info.extendedFields?["contacts.displayByFirstName"] == "Jane Roe")
            #expect(updated.info.extendedFields?["contacts.displayByLastName"] == "Roe Jane")
        }
    }

    @Test(arguments: [
        ("emails", "info.emails.items"), ("phones", "info.phones.items"), ("addresses", "info.addresses.items"),
        ("labelKeys", "info.labelKeys.items"),
    ])
    func listsHoldAtMostFiftyItems(field: String, path: String) async throws {
        try await TestStore.with { t in
            var keys: [String] = []
            if field == "labelKeys" {
                for index in 1...51 { keys.append(try await t.store.findOrCreateLabel(displayName: "L\(index)").key) }
            }
            func items(_ count: Int) -> JSONValue {
                .array(
                    (1...count).map { index -> JSONValue in
                        switch field {
                        case "emails": return ["email": .string("u\(index)@example.com")]
                        case "phones": return ["phone": .string("555\(index)")]
                        case "addresses": return ["address": ["city": .string("City \(index)")]]
                        default: return .string(keys[index - 1])
                        }
                    })
            }
            let created = try await t.create(
                [
                    "name": ["first": "Ann"], .init(field): ["items": items(50)],
                ], allowDuplicates: true)
            #expect(created.info.fieldJSON(field)?["items"]?.arrayValue?.count == 50)
            let error = await expectError(.invalidArgument) {
                try await t.update(created.id, [.init(field): ["items": items(51)]], revision: 1, allowDuplicates: true)
            }
            #expect(error?.violatedFields == [path])
        }
    }

    @Test func emailItemsNeedAPlausibleAddress() async throws {
        try await TestStore.with { t in
            let error = await expectError(.invalidArgument) {
                try await t.create([
                    "emails": ["items": [["email": "ok@example.com"], ["email": "not an email"], ["tag": "WORK"]]]
                ])
            }
            #expect(error?.violatedFields == ["info.emails.items[1].email", "info.emails.items[2].email"])
        }
    }
}
