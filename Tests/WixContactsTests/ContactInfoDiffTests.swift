import JSONCore
import Testing
import WixContacts

/// Which top-level fields of `info` a change changed: what audit entries and dry runs list.
@Suite struct ContactInfoDiffTests {
    /// An info with every top-level field set, with item ids and derived values.
    static func fullInfo() throws -> ContactInfo {
        try ContactInfo.decode([
            "name": ["first": "Ada", "last": "Lovelace"],
            "emails": ["items": [["id": "e1", "tag": "WORK", "email": "ada@example.com"]]],
            "phones": ["items": [["id": "p1", "tag": "MOBILE", "phone": "+1 555 0100", "e164Phone": "+15550100"]]],
            "addresses": ["items": [["id": "a1", "tag": "HOME", "address": ["city": "London"]]]],
            "company": "Analytical Engines", "jobTitle": "Programmer", "birthdate": "1815-12-10", "locale": "en-gb",
            "labelKeys": ["items": ["custom.vip"]],
            "extendedFields": ["items": ["custom.notes": "first programmer"]],
            "picture": ["image": ["url": "https://example.com/ada.png"]],
        ])
    }

    @Test func everyFieldAgainstAnEmptyInfoInWireOrder() throws {
        let full = try Self.fullInfo()
        #expect(full.changedFields(comparedTo: ContactInfo()) == ContactInfo.fieldNames)
        #expect(ContactInfo().changedFields(comparedTo: full) == ContactInfo.fieldNames)
        #expect(full.changedFields(comparedTo: full).isEmpty)
    }

    @Test func eachFieldAloneListsOnlyItself() throws {
        let full = try Self.fullInfo()
        for field in ContactInfo.fieldNames {
            var changed = full
            switch field {
            case "name": changed.name?.first = "Augusta"
            case "emails": changed.emails?[0].email = "augusta@example.com"
            case "phones": changed.phones = nil
            case "addresses": changed.addresses = (full.addresses ?? []) + (full.addresses ?? [])
            case "company": changed.company = "Babbage & Co"
            case "jobTitle": changed.jobTitle = nil
            case "birthdate": changed.birthdate = "1815-12-11"
            case "locale": changed.locale = "en-us"
            case "labelKeys": changed.labelKeys = ["custom.vip", "custom.math"]
            case "extendedFields": changed.extendedFields = ["custom.notes": "countess"]
            case "picture": changed.picture = nil
            default: Issue.record("a field this test does not know: \(field)")
            }
            #expect(changed.changedFields(comparedTo: full) == [field], "\(field)")
        }
    }

    @Test func itemIdsAndDerivedValuesAreNotChanges() throws {
        let full = try Self.fullInfo()
        var renumbered = full
        renumbered.emails?[0].id = "e2"
        renumbered.phones?[0].id = "p2"
        renumbered.phones?[0].e164Phone = nil
        renumbered.addresses?[0].id = "a2"
        renumbered.extendedFields?["contacts.displayByFirstName"] = "Ada Lovelace"
        #expect(renumbered.changedFields(comparedTo: full).isEmpty)
    }

    @Test func anEmptyListOrOnlyReadOnlyExtendedFieldsAreNoValue() throws {
        let full = try Self.fullInfo()
        var empty = ContactInfo()
        empty.emails = []
        empty.phones = []
        empty.addresses = []
        empty.extendedFields = ["contacts.displayByFirstName": "Ada Lovelace"]
        #expect(empty.changedFields(comparedTo: ContactInfo()).isEmpty)
        #expect(ContactInfo().changedFields(comparedTo: empty).isEmpty)
        #expect(full.changedFields(comparedTo: empty) == ContactInfo.fieldNames)
        #expect(empty.changedFields(comparedTo: full) == ContactInfo.fieldNames)
        var readOnlyAdded = full
        readOnlyAdded.extendedFields = ["contacts.displayByLastName": "Lovelace Ada"]
        #expect(readOnlyAdded.changedFields(comparedTo: empty).contains("extendedFields") == false)
        #expect(readOnlyAdded.changedFields(comparedTo: full).contains("extendedFields"))
    }
}
