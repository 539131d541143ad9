public import JSONCore

/// A contact's details: everything a client may write.
///
/// ```swift
/// var info = ContactInfo()
/// info.name = ContactName(first: "Ada", last: "Lovelace")
/// info.emails = [ContactEmail(email: "ada@example.com", primary: true)]
/// ```
public struct ContactInfo: JSONModel, JSONObjectModel, Equatable {
    /// First and last name.
    public var name: ContactName?
    /// Up to 50 email addresses.
    public var emails: [ContactEmail]?
    /// Up to 50 phone numbers.
    public var phones: [ContactPhone]?
    /// Up to 50 street addresses.
    public var addresses: [ContactAddress]?
    /// Company name.
    public var company: String?
    /// Job title.
    public var jobTitle: String?
    /// Birth date, `YYYY-MM-DD`.
    public var birthdate: String?
    /// BCP 47 language tag, such as `en-US`.
    public var locale: String?
    /// Keys of the labels on the contact.
    public var labelKeys: [String]?
    /// Extended field values by key.
    public var extendedFields: JSONObject?
    /// Profile picture.
    public var picture: ContactPicture?

    /// The top-level fields, in wire order. Updates replace these whole.
    public static let fieldNames = [
        "name", "emails", "phones", "addresses", "company", "jobTitle", "birthdate", "locale", "labelKeys",
        "extendedFields", "picture",
    ]

    /// An empty info.
    public init() {}

    public init?(json: JSONValue, path: String, context: JSONDecodingContext) {
        guard var reader = ObjectReader(json, path: path, context: context) else { return nil }
        name = reader.value("name")
        emails = reader.items("emails")
        phones = reader.items("phones")
        addresses = reader.items("addresses")
        company = reader.string("company")
        jobTitle = reader.string("jobTitle")
        birthdate = reader.string("birthdate")
        locale = reader.string("locale")
        labelKeys = reader.stringItems("labelKeys")
        extendedFields = reader.mapItems("extendedFields")
        picture = reader.value("picture")
        reader.finish()
    }

    public func appendMembers<Members: JSONMembers>(to object: inout Members) {
        object.appendIfPresent("name", name)
        object.appendItems("emails", emails)
        object.appendItems("phones", phones)
        object.appendItems("addresses", addresses)
        object.appendIfPresent("company", company)
        object.appendIfPresent("jobTitle", jobTitle)
        object.appendIfPresent("birthdate", birthdate)
        object.appendIfPresent("locale", locale)
        object.appendStringItems("labelKeys", labelKeys)
        object.appendMapItems("extendedFields", extendedFields)
        object.appendIfPresent("picture", picture)
    }

    /// The JSON of one top-level field, or `nil` when it is empty (used to diff and undo field by field).
    public func fieldJSON(_ field: String) -> JSONValue? {
        guard case .object(let object) = json else { return nil }
        return object[field]
    }
}
