import JSONCore
import Testing
import WixContacts

/// Decoding a client's partial `info`: type checks by path, unknown fields, and clearing.
@Suite struct ContactInfoPatchTests {
    /// The error `ContactInfoPatch(json:)` throws for `json`, or `nil` when it decodes.
    func patchError(_ json: JSONValue) -> ContactsError? {
        do {
            _ = try ContactInfoPatch(json: json)
            return nil
        } catch {
            return error
        }
    }

    func violations(_ error: ContactsError?) -> [FieldViolation] {
        error?.details["fieldViolations"]?.arrayValue?.map {
            FieldViolation(
                field: $0["field"]?.stringValue ?? "", description: $0["description"]?.stringValue ?? "",
                violatedRule: $0["violatedRule"]?.stringValue ?? "")
        } ?? []
    }

    @Test func emptyInfoIsInsufficientUpdateContactData() {
        let error = patchError([:])
        #expect(error?.code == .insufficientUpdateContactData)
        #expect(error?.httpStatus == 400)
    }

    @Test func infoThatIsNotAnObjectIsAnInvalidArgument() {
        let error = patchError(["company"])
        #expect(error?.code == .invalidArgument)
        #expect(violations(error).map(\.field) == ["info"])
    }

    @Test func numberWhereAStringBelongsNamesTheFieldPath() {
        let company = patchError(["company": 42])
        #expect(company?.code == .invalidArgument)
        #expect(company?.status == "INVALID_ARGUMENT")
        #expect(violations(company).map(\.field) == ["info.company"])
        #expect(violations(company).map(\.violatedRule) == ["TYPE"])

        let email = patchError(["emails": ["items": [["email": "a@example.com"], ["email": 7]]]])
        #expect(email?.code == .invalidArgument)
        #expect(violations(email).map(\.field) == ["info.emails.items[1].email"])
    }

    @Test func everyInvalidFieldIsReportedAtOnce() {
        let error = patchError([
            "name": ["first": true], "phones": ["items": [["phone": "1", "primary": "yes"]]],
            "labelKeys": ["items": [1]],
        ])
        #expect(
            violations(error).map(\.field) == [
                "info.name.first", "info.phones.items[0].primary", "info.labelKeys.items[0]",
            ])
    }

    @Test func unknownFieldsAreViolations() {
        let top = patchError(["nickname": "Jo"])
        #expect(violations(top).map(\.field) == ["info.nickname"])
        #expect(violations(top).map(\.violatedRule) == ["UNKNOWN_FIELD"])
        let nested = patchError(["name": ["first": "Jo", "middle": "Q"]])
        #expect(violations(nested).map(\.field) == ["info.name.middle"])
        let item = patchError(["emails": ["items": [["email": "a@example.com", "verified": true]]]])
        #expect(violations(item).map(\.field) == ["info.emails.items[0].verified"])
    }

    @Test func violationDescriptionsNeverContainTheValue() {
        let error = patchError(["company": 123_456_789, "jobTitle": ["secret-value"]])
        #expect(violations(error).count == 2)
        for violation in violations(error) {
            #expect(!violation.description.contains("123456789"))
            #expect(!violation.description.contains("secret-value"))
        }
    }

    @Test func emptyStringAndNullClearScalars() throws {
        let patch = try ContactInfoPatch(json: ["company": "", "jobTitle": nil, "locale": "en-US"])
        #expect(patch.sentFields == ["company", "jobTitle", "locale"])
        #expect(patch.clearedFields == ["company", "jobTitle"])
        #expect(patch.setFields == ["locale"])
        #expect(patch.info.locale == "en-US")
    }

    @Test func nullClearsObjectsAndEmptyItemsClearLists() throws {
        let patch = try ContactInfoPatch(json: [
            "name": nil, "picture": nil, "emails": ["items": []], "phones": ["items": []], "labelKeys": ["items": []],
            "addresses": ["items": []],
        ])
        #expect(patch.clearedFields == ["name", "picture", "emails", "phones", "labelKeys", "addresses"])
        #expect(patch.setFields.isEmpty)
    }

    @Test func extendedFieldKeyRemovalIsNotAClear() throws {
        let removal = try ContactInfoPatch(json: ["extendedFields": ["items": ["custom.nickname": nil]]])
        #expect(removal.clearedFields.isEmpty)
        #expect(removal.setFields == ["extendedFields"])
        let clear = try ContactInfoPatch(json: ["extendedFields": nil])
        #expect(clear.clearedFields == ["extendedFields"])
    }

    @Test func patchKeepsTheJSONAsSentAndTheDecodedValues() throws {
        let json: JSONValue = [
            "name": ["first": "Ann", "last": "Lee"],
            "phones": ["items": [["phone": "646-567-6359", "countryCode": "US", "formattedPhone": "+1 646-567-6359"]]],
        ]
        let patch = try ContactInfoPatch(json: json)
        #expect(JSONValue.object(patch.json) == json)
        #expect(patch.info.name == ContactName(first: "Ann", last: "Lee"))
        #expect(patch.info.phones == [ContactPhone(countryCode: "US", phone: "646-567-6359")])
        #expect(patch.setFields == ["name", "phones"])
    }

    @Test func settingPatchSetsEveryNonEmptyField() {
        var info = ContactInfo()
        info.company = "Wix"
        info.labelKeys = ["custom.a"]
        let patch = ContactInfoPatch(setting: info)
        #expect(patch.setFields == ["company", "labelKeys"])
        #expect(patch.clearedFields.isEmpty)
    }
}
