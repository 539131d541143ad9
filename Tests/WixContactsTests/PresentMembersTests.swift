import JSONCore
import Testing
import WixContacts

/// ``PresentMembers`` names what a model's JSON holds, without encoding it.
@Suite struct PresentMembersTests {
    @Test func theNamesAreTheKeysOfTheEncodedObject() throws {
        var sparse = ContactInfo()
        sparse.name = ContactName()  // encodes as an empty object: left out
        sparse.emails = []
        sparse.company = ""
        sparse.labelKeys = []
        sparse.extendedFields = [:]
        var named = ContactInfo()
        named.name = ContactName(first: "Ada")
        named.jobTitle = "Programmer"
        let infos = [ContactInfo(), sparse, named, try ContactInfoDiffTests.fullInfo()]
        for info in infos {
            #expect(PresentMembers(of: info).names == info.json.objectValue?.keys, "\(info)")
        }
        #expect(PresentMembers(of: sparse).names.isEmpty)
        #expect(PresentMembers(of: try ContactInfoDiffTests.fullInfo()).names == ContactInfo.fieldNames)
    }
}
