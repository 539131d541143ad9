import JSONCore
import Testing
import WixContacts

@testable import ContactStore

/// `contacts.displayByFirstName` / `contacts.displayByLastName` follow the name whatever the
/// extended fields held before, and an update that leaves the name alone leaves them as they were.
@Suite struct DisplayNameTests {
    /// The rule as first written: the names present, joined by a space; an empty one removed; no
    /// extended fields at all when none is left.
    private func expected(_ info: ContactInfo) -> JSONObject? {
        var fields = info.extendedFields ?? JSONObject()
        let first = info.name?.first
        let last = info.name?.last
        let byFirst = [first, last].compactMap { $0 }.joined(separator: " ")
        let byLast = [last, first].compactMap { $0 }.joined(separator: " ")
        fields["contacts.displayByFirstName"] = byFirst.isEmpty ? nil : .string(byFirst)
        fields["contacts.displayByLastName"] = byLast.isEmpty ? nil : .string(byLast)
        return fields.isEmpty ? nil : fields
    }

    @Test func followTheNameWhateverTheFieldsHeld() {
        let names: [ContactName?] = [
            nil, ContactName(first: "Ada"), ContactName(last: "Lovelace"), ContactName(first: "Ada", last: "Lovelace"),
            ContactName(first: "", last: "Lovelace"), ContactName(first: "", last: ""),
        ]
        let before: [JSONObject?] = [
            nil, JSONObject(),
            JSONObject([("custom.size", "L")]),
            JSONObject([
                ("contacts.displayByFirstName", "Ada Lovelace"), ("contacts.displayByLastName", "Lovelace Ada"),
            ]),
            JSONObject([("contacts.displayByFirstName", "Ada"), ("contacts.displayByLastName", "Ada")]),
            JSONObject([("custom.size", "L"), ("contacts.displayByFirstName", "Old")]),
        ]
        for name in names {
            for fields in before {
                var info = ContactInfo()
                info.name = name
                info.extendedFields = fields
                let wanted = expected(info)
                ContactDeriver.deriveDisplayNames(&info)
                #expect(
                    info.extendedFields == wanted,
                    "name \(String(describing: name)), fields \(String(describing: fields))")
                // Derived twice, the same.
                ContactDeriver.deriveDisplayNames(&info)
                #expect(info.extendedFields == wanted)
            }
        }
    }
}
