public import JSONCore

/// One of a contact's street addresses.
public struct ContactAddress: JSONModel, JSONObjectModel, Hashable {
    /// Read-only item id, assigned by the server.
    public var id: String?
    /// The type of address; `UNTAGGED` when not given.
    public var tag: AddressTag?
    /// The address itself.
    public var address: Address?

    /// Creates an address item.
    public init(id: String? = nil, tag: AddressTag? = nil, address: Address? = nil) {
        self.id = id
        self.tag = tag
        self.address = address
    }

    public init?(json: JSONValue, path: String, context: JSONDecodingContext) {
        guard var reader = ObjectReader(json, path: path, context: context) else { return nil }
        id = reader.string("id")
        tag = reader.value("tag")
        address = reader.value("address")
        reader.finish()
    }

    public func appendMembers<Members: JSONMembers>(to object: inout Members) {
        object.appendIfPresent("id", id)
        object.appendIfPresent("tag", tag)
        object.appendIfPresent("address", address)
    }
}

/// A postal address: either free-text lines or a street number and name, plus locality.
public struct Address: JSONModel, JSONObjectModel, Hashable {
    /// Street number and name as separate fields.
    public var streetAddress: StreetAddress?
    /// Main address line, usually street and number, as free text.
    public var addressLine: String?
    /// The same line under the name Wix's SDK and its example responses use (the REST schema
    /// says `addressLine`). Accepted and kept exactly as sent, so a contact read back can always
    /// be sent back.
    public var addressLine1: String?
    /// Apartment, suite, floor.
    public var addressLine2: String?
    /// City name.
    public var city: String?
    /// ISO 3166-2 subdivision code, such as `US-NY`.
    public var subdivision: String?
    /// ISO-3166 alpha-2 country code.
    public var country: String?
    /// Postal or zip code.
    public var postalCode: String?
    /// The address as display text.
    public var formatted: String?

    /// Creates an address.
    public init(
        streetAddress: StreetAddress? = nil, addressLine: String? = nil, addressLine1: String? = nil,
        addressLine2: String? = nil, city: String? = nil, subdivision: String? = nil, country: String? = nil,
        postalCode: String? = nil, formatted: String? = nil
    ) {
        self.streetAddress = streetAddress
        self.addressLine = addressLine
        self.addressLine1 = addressLine1
        self.addressLine2 = addressLine2
        self.city = city
        self.subdivision = subdivision
        self.country = country
        self.postalCode = postalCode
        self.formatted = formatted
    }

    public init?(json: JSONValue, path: String, context: JSONDecodingContext) {
        guard var reader = ObjectReader(json, path: path, context: context) else { return nil }
        streetAddress = reader.value("streetAddress")
        addressLine = reader.string("addressLine")
        addressLine1 = reader.string("addressLine1")
        addressLine2 = reader.string("addressLine2")
        city = reader.string("city")
        subdivision = reader.string("subdivision")
        country = reader.string("country")
        postalCode = reader.string("postalCode")
        formatted = reader.string("formatted")
        reader.finish()
    }

    public func appendMembers<Members: JSONMembers>(to object: inout Members) {
        object.appendIfPresent("formatted", formatted)
        object.appendIfPresent("streetAddress", streetAddress)
        object.appendIfPresent("addressLine", addressLine)
        object.appendIfPresent("addressLine1", addressLine1)
        object.appendIfPresent("addressLine2", addressLine2)
        object.appendIfPresent("city", city)
        object.appendIfPresent("subdivision", subdivision)
        object.appendIfPresent("country", country)
        object.appendIfPresent("postalCode", postalCode)
    }
}

/// A street number and name.
public struct StreetAddress: JSONModel, JSONObjectModel, Hashable {
    /// Street number.
    public var number: String?
    /// Street name.
    public var name: String?

    /// Creates a street address.
    public init(number: String? = nil, name: String? = nil) {
        self.number = number
        self.name = name
    }

    public init?(json: JSONValue, path: String, context: JSONDecodingContext) {
        guard var reader = ObjectReader(json, path: path, context: context) else { return nil }
        number = reader.string("number")
        name = reader.string("name")
        reader.finish()
    }

    public func appendMembers<Members: JSONMembers>(to object: inout Members) {
        object.appendIfPresent("number", number)
        object.appendIfPresent("name", name)
    }
}
