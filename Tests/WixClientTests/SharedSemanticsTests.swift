import ContactStore
import Foundation
import JSONCore
import Testing
import WixContacts

/// One table of contact-semantics cases, run against the embedded store directly and against the
/// REST client talking to the emulator: both backends must agree.
@Suite struct SharedSemanticsTests {
    /// A case: steps against a service, returning what to compare.
    struct Case: Sendable, CustomStringConvertible {
        let description: String
        /// What both must answer, where the case pins it down.
        var expected: JSONValue? = nil
        let run: @Sendable (any ContactsService) async throws -> JSONValue
    }

    static let cases: [Case] = [
        Case(description: "create then get returns the same contact") { service in
            let created = try await service.createContact(
                info: patch(["name": ["first": "Ada", "last": "L"]]), allowDuplicates: false)
            let read = try await service.contact(id: created.id)
            return ["same": .bool(try created.json.parsed() == read.json.parsed()), "revision": .int(read.revision)]
        },
        Case(description: "update increments the revision by one and keeps omitted fields") { service in
            let created = try await service.createContact(
                info: patch(["name": ["first": "Ada"], "company": "Old"]), allowDuplicates: false)
            let updated = try await service.updateContact(
                id: created.id, patch: patch(["jobTitle": "CTO"]), revision: 1, allowDuplicates: false)
            let contact = try updated.contact()
            return [
                "revision": .int(updated.revision), "company": .string(contact.info.company ?? ""),
                "job": .string(contact.info.jobTitle ?? ""),
            ]
        },
        Case(description: "stale revision is CONTACT_ALREADY_CHANGED with the current revision") { service in
            let created = try await service.createContact(
                info: patch(["name": ["first": "Ada"]]), allowDuplicates: false)
            _ = try await service.updateContact(
                id: created.id, patch: patch(["company": "A"]), revision: 1, allowDuplicates: false)
            return try await failure {
                _ = try await service.updateContact(
                    id: created.id, patch: patch(["company": "B"]), revision: 1, allowDuplicates: false)
            }
        },
        Case(
            description: "an address sent with the SDK's addressLine1 is kept as sent and can be sent back",
            expected: ["line1": "3 Park Ave", "addressLine": .null, "sameInfo": true, "revision": 2]
        ) { service in
            let address: JSONValue = [
                "tag": "HOME",
                "address": ["addressLine1": "3 Park Ave", "city": "NY", "country": "US", "postalCode": "10010"],
            ]
            let created = try await service.createContact(
                info: patch(["name": ["first": "Ada"], "addresses": ["items": [address]]]), allowDuplicates: false)
            let read = try await service.contact(id: created.id)
            let info = try #require(try read.json.parsed()["info"])
            // Sending back exactly what was read must work, and change nothing it holds.
            let sentBack = try await service.updateContact(
                id: created.id, patch: try ContactInfoPatch(json: info), revision: read.revision, allowDuplicates: false)
            let items = try sentBack.json.parsed()["info"]?["addresses"]?["items"]?.arrayValue
            let stored = items?.first?["address"]
            return [
                "line1": stored?["addressLine1"] ?? .null, "addressLine": stored?["addressLine"] ?? .null,
                "sameInfo": .bool(try sentBack.json.parsed()["info"] == info), "revision": .int(sentBack.revision),
            ]
        },
        Case(description: "unknown id is CONTACT_NOT_FOUND") { service in
            try await failure { _ = try await service.contact(id: "00000000-0000-0000-0000-000000000000") }
        },
        Case(description: "duplicate email is DUPLICATE_CONTACT_EXISTS unless allowed") { service in
            let first = try await service.createContact(
                info: patch(["emails": ["items": [["email": "a@x.com"]]]]), allowDuplicates: false)
            var result =
                try await failure {
                    _ = try await service.createContact(
                        info: patch(["emails": ["items": [["email": "A@X.com"]]]]), allowDuplicates: false)
                }.objectValue ?? JSONObject()
            result["sameDuplicate"] = .bool(result["duplicateContactId"]?.stringValue == first.id)
            result["duplicateContactId"] = nil
            let allowed = try await service.createContact(
                info: patch(["emails": ["items": [["email": "a@x.com"]]]]), allowDuplicates: true)
            result["allowed"] = .bool(allowed.revision == 1)
            return .object(result)
        },
        Case(description: "a bad birthdate is INVALID_ARGUMENT naming the field") { service in
            try await failure {
                _ = try await service.createContact(
                    info: patch(["name": ["first": "A"], "birthdate": "2023-02-29"]), allowDuplicates: false)
            }
        },
        Case(description: "two primary emails is CANNOT_HAVE_MULTIPLE_PRIMARY_INFO") { service in
            try await failure {
                _ = try await service.createContact(
                    info: patch([
                        "emails": [
                            "items": [["email": "a@x.com", "primary": true], ["email": "b@x.com", "primary": true]]
                        ]
                    ]),
                    allowDuplicates: false)
            }
        },
        Case(description: "clearing the only name is INSUFFICIENT_CONTACT_DATA") { service in
            let created = try await service.createContact(info: patch(["name": ["first": "A"]]), allowDuplicates: false)
            return try await failure {
                _ = try await service.updateContact(
                    id: created.id, patch: patch(["name": nil]), revision: 1, allowDuplicates: false)
            }
        },
        Case(description: "phones derive e164 and the primary phone") { service in
            let created = try await service.createContact(
                info: patch(["phones": ["items": [["countryCode": "US", "phone": "646-567-6359"]]]]),
                allowDuplicates: false)
            let contact = try created.contact()
            return [
                "e164": .string(contact.primaryPhone?.e164Phone ?? ""),
                "formatted": .string(contact.primaryPhone?.formattedPhone ?? ""),
            ]
        },
        Case(description: "query filters, sorts and pages") { service in
            for name in ["Cy", "Al", "Bo"] {
                _ = try await service.createContact(
                    info: patch(["name": ["first": .string(name)], "company": "Q"]), allowDuplicates: false)
            }
            let page = try await service.queryContacts(
                ContactQuery(filter: ["info.company": "Q"], sort: [.init(fieldName: "info.name.first")], limit: 2))
            let names = try page.contacts.map { JSONValue.string(try $0.contact().info.name?.first ?? "") }
            return ["names": .array(names), "total": .int(page.total)]
        },
    ]

    @Test(arguments: cases)
    func embeddedStoreAndRESTClientAgree(_ testCase: Case) async throws {
        let local = try await withStore { store in try await testCase.run(store) }
        let remote = try await ClientHarness.with { harness in try await testCase.run(harness.client) }
        #expect(local == remote)
        #expect(local != .null)
        if let expected = testCase.expected { #expect(local == expected) }
    }

    private func withStore<T>(_ body: (ContactStore) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shared-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(ContactStore(path: directory.appendingPathComponent("c.sqlite").path))
    }
}

/// The comparable part of a failure: code, HTTP status and the data a caller acts on.
func failure(_ body: () async throws -> Void) async throws -> JSONValue {
    do {
        try await body()
        return ["failed": false]
    } catch let error as ContactsError {
        var result: JSONObject = ["code": .string(error.code.rawValue), "httpStatus": .int(error.httpStatus)]
        if let revision = error.details["currentRevision"] { result["currentRevision"] = revision }
        if let duplicate = error.details["duplicateContactId"] { result["duplicateContactId"] = duplicate }
        if let violations = error.details["fieldViolations"]?.arrayValue {
            result["fields"] = .array(violations.compactMap { $0["field"] })
        }
        return .object(result)
    }
}
