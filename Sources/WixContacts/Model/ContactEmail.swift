public import JSONCore

/// One of a contact's email addresses.
public struct ContactEmail: JSONModel, JSONObjectModel, Hashable {
    /// Read-only item id, assigned by the server.
    public var id: String?
    /// The type of address; `UNTAGGED` when not given.
    public var tag: EmailTag?
    /// The address.
    public var email: String?
    /// Whether this is the primary address.
    public var primary: Bool?

    /// Creates an email item.
    public init(id: String? = nil, tag: EmailTag? = nil, email: String? = nil, primary: Bool? = nil) {
        self.id = id
        self.tag = tag
        self.email = email
        self.primary = primary
    }

    public init?(json: JSONValue, path: String, context: JSONDecodingContext) {
        guard var reader = ObjectReader(json, path: path, context: context) else { return nil }
        id = reader.string("id")
        tag = reader.value("tag")
        email = reader.string("email")
        primary = reader.bool("primary")
        reader.finish()
    }

    public func appendMembers<Members: JSONMembers>(to object: inout Members) {
        object.appendIfPresent("id", id)
        object.appendIfPresent("tag", tag)
        object.appendIfPresent("email", email)
        object.appendIfPresent("primary", primary)
    }
}
