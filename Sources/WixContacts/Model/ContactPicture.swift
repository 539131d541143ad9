public import JSONCore

/// A contact's profile picture.
public struct ContactPicture: JSONModel, JSONObjectModel, Hashable {
    /// The image.
    public var image: ContactImage?

    /// Creates a picture.
    public init(image: ContactImage? = nil) {
        self.image = image
    }

    public init?(json: JSONValue, path: String, context: JSONDecodingContext) {
        guard var reader = ObjectReader(json, path: path, context: context) else { return nil }
        image = reader.value("image")
        reader.finish()
    }

    public func appendMembers<Members: JSONMembers>(to object: inout Members) {
        object.appendIfPresent("image", image)
    }
}

/// An image: a Wix Media id or an external URL, with its size.
public struct ContactImage: JSONModel, JSONObjectModel, Hashable {
    /// Wix Media image id.
    public var id: String?
    /// Media Manager or external URL.
    public var url: String?
    /// Height of the original image.
    public var height: Int?
    /// Width of the original image.
    public var width: Int?
    /// Alt text.
    public var altText: String?
    /// When the URL stops working, if it expires.
    public var urlExpirationDate: String?

    /// Creates an image.
    public init(
        id: String? = nil, url: String? = nil, height: Int? = nil, width: Int? = nil, altText: String? = nil,
        urlExpirationDate: String? = nil
    ) {
        self.id = id
        self.url = url
        self.height = height
        self.width = width
        self.altText = altText
        self.urlExpirationDate = urlExpirationDate
    }

    public init?(json: JSONValue, path: String, context: JSONDecodingContext) {
        guard var reader = ObjectReader(json, path: path, context: context) else { return nil }
        id = reader.string("id")
        url = reader.string("url")
        height = reader.int("height")
        width = reader.int("width")
        altText = reader.string("altText")
        urlExpirationDate = reader.string("urlExpirationDate")
        reader.finish()
    }

    public func appendMembers<Members: JSONMembers>(to object: inout Members) {
        object.appendIfPresent("id", id)
        object.appendIfPresent("url", url)
        object.appendIfPresent("height", height)
        object.appendIfPresent("width", width)
        object.appendIfPresent("altText", altText)
        object.appendIfPresent("urlExpirationDate", urlExpirationDate)
    }
}
