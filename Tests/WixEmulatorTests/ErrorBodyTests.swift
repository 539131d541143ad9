import JSONCore
import Testing
import WixContacts
import WixEmulator

/// Errors come back with Wix's status codes and bodies.
@Suite struct ErrorBodyTests {
    @Test func unknownContactIsContactNotFound() async throws {
        try await EmulatorHarness.with { h in
            try await h.test { client in
                let reply = try await client.call(.get, "/contacts/v4/contacts/nope")
                #expect(reply.status == 404)
                #expect(reply.applicationCode == "CONTACT_NOT_FOUND")
                #expect(reply.json["message"]?.stringValue == "Contact not found.")
                #expect(reply.json["details"]?["applicationError"]?["description"]?.stringValue == "Contact not found.")
            }
        }
    }

    @Test func staleRevisionIsContactAlreadyChangedWithCurrentRevision() async throws {
        try await EmulatorHarness.with { h in
            let id = try await h.seed(["name": ["first": "Ada"]])
            _ = try await h.store.update(id: id, patch: ContactInfoPatch(json: ["company": "A"]), revision: 1)
            try await h.test { client in
                let reply = try await client.call(
                    .patch, "/contacts/v4/contacts/\(id)", json: ["info": ["company": "B"], "revision": 1])
                #expect(reply.status == 409)
                #expect(reply.applicationCode == "CONTACT_ALREADY_CHANGED")
                #expect(reply.applicationData?["currentRevision"]?.intValue == 2)
            }
        }
    }

    @Test func duplicateEmailIsDuplicateContactExistsWithTheOtherId() async throws {
        try await EmulatorHarness.with { h in
            let existing = try await h.seed(["emails": ["items": [["email": "ada@example.com"]]]])
            try await h.test { client in
                let info: JSONValue = ["emails": ["items": [["email": "ADA@example.com"]]]]
                let reply = try await client.call(.post, "/contacts/v4/contacts", json: ["info": info])
                #expect(reply.status == 409)
                #expect(reply.applicationCode == "DUPLICATE_CONTACT_EXISTS")
                #expect(reply.applicationData?["duplicateContactId"]?.stringValue == existing)

                let allowed = try await client.call(
                    .post, "/contacts/v4/contacts", json: ["info": info, "allowDuplicates": true])
                #expect(allowed.status == 200)
            }
        }
    }

    @Test func badBirthdateIsAValidationErrorNamingTheField() async throws {
        try await EmulatorHarness.with { h in
            try await h.test { client in
                let reply = try await client.call(
                    .post, "/contacts/v4/contacts", json: ["info": ["name": ["first": "A"], "birthdate": "2021-02-30"]])
                #expect(reply.status == 400)
                #expect(reply.violatedFields == ["info.birthdate"])
                let violation = reply.json["details"]?["validationError"]?["fieldViolations"]?.arrayValue?.first
                #expect(violation?["violatedRule"]?.stringValue == "FORMAT")
                #expect(violation?["description"]?.stringValue?.isEmpty == false)
                #expect(reply.json["details"]?["applicationError"] == nil)
            }
        }
    }

    @Test func otherApplicationErrorsCarryTheirCode() async throws {
        try await EmulatorHarness.with { h in
            let id = try await h.seed(["name": ["first": "Ada"]])
            try await h.test { client in
                let empty = try await client.call(
                    .patch, "/contacts/v4/contacts/\(id)", json: ["info": [:], "revision": 1])
                #expect(empty.status == 400)
                #expect(empty.applicationCode == "INSUFFICIENT_UPDATE_CONTACT_DATA")
                let none = try await client.call(.post, "/contacts/v4/contacts", json: ["info": ["company": "Wix"]])
                #expect(none.status == 400)
                #expect(none.applicationCode == "INSUFFICIENT_CONTACT_DATA")
            }
        }
    }

    @Test func malformedOrIncompleteBodiesAreValidationErrors() async throws {
        try await EmulatorHarness.with { h in
            let id = try await h.seed(["name": ["first": "Ada"]])
            try await h.test { client in
                let malformed = try await client.call(.post, "/contacts/v4/contacts", rawBody: #"{"info": "#)
                #expect(malformed.status == 400)
                #expect(malformed.violatedFields == ["body"])
                let array = try await client.call(.post, "/contacts/v4/contacts", rawBody: "[1]")
                #expect(array.violatedFields == ["body"])
                let noRevision = try await client.call(
                    .patch, "/contacts/v4/contacts/\(id)", json: ["info": ["company": "Wix"]])
                #expect(noRevision.status == 400)
                #expect(noRevision.violatedFields == ["revision"])
                let badPaging = try await client.call(
                    .post, "/contacts/v4/contacts/query", json: ["query": ["paging": ["limit": 0]]])
                #expect(badPaging.violatedFields == ["query.paging.limit"])
            }
        }
    }

    @Test func unknownRouteIsNotFound() async throws {
        try await EmulatorHarness.with { h in
            try await h.test { client in
                let reply = try await client.call(.get, "/contacts/v4/nothing-here")
                #expect(reply.status == 404)
                #expect(reply.applicationCode == "NOT_FOUND")
                let wrongMethod = try await client.call(.delete, "/contacts/v4/contacts/x")
                #expect(wrongMethod.status == 404)
            }
        }
    }
}
