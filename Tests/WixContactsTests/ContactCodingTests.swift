import Foundation
import JSONCore
import Testing
import WixContacts

/// The contact model reads and writes the REST shape exactly, including values it does not know.
@Suite struct ContactCodingTests {
    @Test func seedExampleContactRoundTripsThroughJSONValue() throws {
        let input = try JSONValue.parse(SeedContactFixture.restJSON)
        let contact = try Contact.decode(input)
        #expect(contact.id == "2712ae1d-3f64-46c2-ac3a-94a6c2e29847")
        #expect(contact.revision == 17)
        #expect(contact.source == ContactSource(sourceType: "WIX_CODE", appId: "151e476a-715e-ec33-db9a-a7ff4d51f70a"))
        #expect(
            contact.info.emails?.map(\.id) == [
                "37db3bde-83c0-4ca2-8097-88964a2f343b", "06eef938-13d2-49f3-8097-60686ab4ddd2",
            ])
        #expect(contact.info.phones?.first?.e164Phone == "+16465676359")
        #expect(contact.info.phones?.last?.e164Phone == nil)
        #expect(contact.info.addresses?.first?.address?.addressLine == "3 Park Ave")
        #expect(contact.info.addresses?.first?.address?.formatted == "3 Park Ave\nNY, New York 10010\nUnited States")
        #expect(contact.info.labelKeys == ["custom.contact"])
        #expect(contact.info.extendedFields?["custom.nickname"] == "Jonny")
        #expect(contact.info.extendedFields?["invoices.vatId"] == "")
        #expect(contact.info.extendedFields?.count == 6)
        #expect(contact.json == input)
        #expect(try JSONValue.parse(contact.json.serializedString()) == input)
    }

    /// The bytes written straight from the model are exactly those of its tree, for every part
    /// of the seed contact and for values that need escaping or leave members out.
    @Test func writingBytesDirectlyMatchesTheTree() throws {
        let seed = try Contact.decode(try JSONValue.parse(SeedContactFixture.restJSON))
        var edge = seed
        edge.info.name = ContactName(first: "Quote \" back\\slash\nline\u{2028}tab\t\u{1}", last: "")
        edge.info.company = ""
        edge.info.picture = ContactPicture()
        edge.info.emails = []
        edge.info.labelKeys = ["a\"b", "é"]
        edge.primaryEmail = PrimaryEmail()
        edge.source = nil
        for contact in [seed, edge, Contact(id: "bare", revision: 1)] {
            var direct: [UInt8] = [0x20]
            contact.writeJSON(to: &direct)
            #expect(direct == [0x20] + contact.json.serialized())
            #expect(ContactSnapshot(contact: contact).json.bytes == contact.json.serialized())
        }
        #expect(edge.json["info"]?["picture"] == nil)
        #expect(edge.json["primaryEmail"] == nil)
    }

    @Test func seedExampleContactRoundTripsThroughCodable() throws {
        let input = try JSONValue.parse(SeedContactFixture.restJSON)
        let decoded = try JSONDecoder().decode(Contact.self, from: Data(SeedContactFixture.restJSON.utf8))
        #expect(decoded == (try Contact.decode(input)))
        let encoded = try JSONEncoder().encode(decoded)
        #expect(try JSONValue.parse(Array(encoded)) == input)
        let again = try JSONDecoder().decode(Contact.self, from: encoded)
        #expect(again == decoded)
    }

    @Test func unknownEnumValuesDecodeAndReencodeUnchanged() throws {
        let input: JSONValue = [
            "id": "c-1", "revision": 3,
            "source": ["sourceType": "SOME_FUTURE_SOURCE"],
            "lastActivity": ["activityDate": "2026-11-29T10:00:00.000Z", "activityType": "SOMETHING_NEW"],
            "info": ["emails": ["items": [["email": "a@example.com", "tag": "QUANTUM"]]]],
            "primaryEmail": ["email": "a@example.com", "subscriptionStatus": "MAYBE"],
        ]
        let contact = try Contact.decode(input)
        #expect(contact.lastActivity?.activityType?.rawValue == "SOMETHING_NEW")
        #expect(contact.lastActivity?.activityType?.isKnown == false)
        #expect(contact.source?.sourceType == "SOME_FUTURE_SOURCE")
        #expect(contact.source?.sourceType?.isKnown == false)
        #expect(contact.info.emails?.first?.tag?.isKnown == false)
        #expect(contact.json == input)
        let viaCodable = try JSONDecoder().decode(Contact.self, from: Data(input.serializedString().utf8))
        #expect(viaCodable == contact)
        #expect(ContactActivityType.contactCreated.isKnown)
    }

    @Test func emptyFieldsAreOmittedFromOutput() throws {
        var info = ContactInfo()
        info.name = ContactName(first: "Ann")
        info.emails = []
        info.company = ""
        info.extendedFields = JSONObject()
        let contact = Contact(id: "c-1", revision: 1, source: ContactSource(), info: info)
        #expect(contact.json == ["id": "c-1", "revision": 1, "info": ["name": ["first": "Ann"]]])
    }

    @Test func leniantDecodingSkipsUnknownMembersButReportsWrongTypes() throws {
        let contact = try Contact.decode(["id": "c-1", "revision": 2, "futureField": ["x": 1]])
        #expect(contact.revision == 2)
        #expect(contact.json == ["id": "c-1", "revision": 2])
        do {
            _ = try Contact.decode(["id": "c-1", "revision": "two"])
            Issue.record("A string revision should not decode.")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.details["fieldViolations"]?.arrayValue?.first?["field"] == "revision")
        }
        #expect(throws: ContactsError.self) { try Contact.decode(["revision": 1]) }
    }
}
