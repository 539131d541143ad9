public import JSONCore

/// A contact's first and last name.
public struct ContactName: JSONModel, JSONObjectModel, Hashable {
    /// First name.
    public var first: String?
    /// Last name.
    public var last: String?

    /// Creates a name.
    public init(first: String? = nil, last: String? = nil) {
        self.first = first
        self.last = last
    }

    /// Whether neither part is set.
    public var isEmpty: Bool { first == nil && last == nil }

    public init?(json: JSONValue, path: String, context: JSONDecodingContext) {
        guard var reader = ObjectReader(json, path: path, context: context) else { return nil }
        first = reader.string("first")
        last = reader.string("last")
        reader.finish()
    }

    public func appendMembers<Members: JSONMembers>(to object: inout Members) {
        object.appendIfPresent("first", first)
        object.appendIfPresent("last", last)
    }
}
