import JSONCore
import Testing
import WixContacts

/// `ContactsError`: codes, HTTP statuses and status names of SPEC §5, and a redacted description.
@Suite struct ContactsErrorTests {
    @Test(arguments: [
        (400, "INVALID_ARGUMENT"), (401, "UNAUTHENTICATED"), (403, "PERMISSION_DENIED"), (404, "NOT_FOUND"),
        (409, "ALREADY_EXISTS"), (428, "FAILED_PRECONDITION"), (429, "RESOURCE_EXHAUSTED"), (500, "INTERNAL"),
        (503, "UNAVAILABLE"), (504, "DEADLINE_EXCEEDED"),
    ])
    func statusNameFollowsTheHTTPStatus(httpStatus: Int, status: String) {
        #expect(ContactsError.statusName(forHTTPStatus: httpStatus) == status)
        #expect(ContactsError("SOME_REMOTE_CODE", httpStatus: httpStatus).status == status)
    }

    @Test(arguments: [
        (ContactsError.Code.invalidExtendedFieldValue, 400), (.cannotHaveMultiplePrimaryInfo, 400),
        (.insufficientUpdateContactData, 400), (.insufficientContactData, 400), (.invalidArgument, 400),
        (.contactNotFound, 404), (.auditEntryNotFound, 404), (.contactAlreadyChanged, 409),
        (.duplicateContactExists, 409), (.undoConflict, 409), (.cannotUpdateMemberEmail, 428),
        (.undoNotSupported, 428), (.rateLimited, 429), (.unauthenticated, 401), (.permissionDenied, 403),
    ])
    func applicationCodesHaveTheirSpecStatus(code: ContactsError.Code, httpStatus: Int) {
        let error = ContactsError(code)
        #expect(error.httpStatus == httpStatus)
        #expect(!error.message.isEmpty)
        #expect(error.message.hasSuffix("."))
    }

    @Test func seedErrorsCarryTheSeedDescriptions() {
        #expect(ContactsError(.contactNotFound).message == "Contact not found.")
        #expect(
            ContactsError(.insufficientContactData).message
                == "Contact must have a name, phone number, or email address.")
        #expect(ContactsError(.insufficientUpdateContactData).message == "Not enough data passed to update contact.")
    }

    @Test func descriptionNeverContainsContactData() {
        let errors = [
            ContactsError.contactNotFound("contact-4711"),
            ContactsError.duplicateContactExists(duplicateContactId: "contact-4711", field: "info.emails"),
            ContactsError.contactAlreadyChanged(currentRevision: 987_654),
            ContactsError.invalidArgument([
                FieldViolation(
                    field: "info.emails.items[0].email", description: "Not a valid email address.",
                    violatedRule: "FORMAT")
            ]),
            ContactsError(.cannotUpdateMemberEmail, details: ["email": "secret@example.com"]),
        ]
        for error in errors {
            for secret in ["contact-4711", "987654", "secret@example.com", "info.emails"] {
                #expect(!error.description.contains(secret))
                #expect(!error.message.contains(secret))
            }
            #expect(error.description.hasPrefix(error.code.rawValue))
        }
    }

    @Test func factoriesCarryTheDataACallerNeeds() {
        #expect(ContactsError.contactAlreadyChanged(currentRevision: 5).details["currentRevision"] == 5)
        let duplicate = ContactsError.duplicateContactExists(duplicateContactId: "c-2", field: "info.emails")
        #expect(duplicate.code == .duplicateContactExists)
        #expect(duplicate.details["duplicateContactId"] == "c-2")
        let invalid = ContactsError.invalidArgument([
            FieldViolation(field: "info.company", description: "Expected a string, found number.", violatedRule: "TYPE")
        ])
        #expect(
            invalid.details["fieldViolations"]
                == [
                    [
                        "field": "info.company", "description": "Expected a string, found number.",
                        "violatedRule": "TYPE",
                    ]
                ])
        #expect(ContactsError.contactNotFound("c-9").httpStatus == 404)
    }

    @Test func unknownRemoteCodesAreKept() {
        let error = ContactsError("BRAND_NEW_CODE", httpStatus: 418)
        #expect(error.code.rawValue == "BRAND_NEW_CODE")
        #expect(error.httpStatus == 418)
        #expect(ContactsError.Code(rawValue: "BRAND_NEW_CODE").defaultHTTPStatus == 500)
    }
}
