public import JSONCore

/// One of a contact's phone numbers.
public struct ContactPhone: JSONModel, JSONObjectModel, Hashable {
    /// Read-only item id, assigned by the server.
    public var id: String?
    /// The type of number; `UNTAGGED` when not given.
    public var tag: PhoneTag?
    /// ISO-3166 alpha-2 country of the number.
    public var countryCode: String?
    /// The number as entered.
    public var phone: String?
    /// Read-only E.164 form, derived from `phone` and `countryCode` when both are valid.
    public var e164Phone: String?
    /// Whether this is the primary number.
    public var primary: Bool?

    /// Creates a phone item.
    public init(
        id: String? = nil, tag: PhoneTag? = nil, countryCode: String? = nil, phone: String? = nil,
        e164Phone: String? = nil, primary: Bool? = nil
    ) {
        self.id = id
        self.tag = tag
        self.countryCode = countryCode
        self.phone = phone
        self.e164Phone = e164Phone
        self.primary = primary
    }

    public init?(json: JSONValue, path: String, context: JSONDecodingContext) {
        guard var reader = ObjectReader(json, path: path, context: context) else { return nil }
        id = reader.string("id")
        tag = reader.value("tag")
        countryCode = reader.string("countryCode")
        phone = reader.string("phone")
        e164Phone = reader.string("e164Phone")
        primary = reader.bool("primary")
        reader.ignore("formattedPhone")
        reader.finish()
    }

    public func appendMembers<Members: JSONMembers>(to object: inout Members) {
        object.appendIfPresent("id", id)
        object.appendIfPresent("tag", tag)
        object.appendIfPresent("countryCode", countryCode)
        object.appendIfPresent("phone", phone)
        object.appendIfPresent("e164Phone", e164Phone)
        object.appendIfPresent("primary", primary)
    }
}
