public import JSONCore

/// A Wix Contacts v4 contact in its REST shape.
///
/// Only ``info`` is writable; everything else is maintained by the server (or the local store).
///
/// ```swift
/// let contact = try Contact.decode(JSONValue.parse(bytes))
/// print(contact.revision, contact.primaryInfo?.email ?? "-")
/// ```
public struct Contact: JSONModel, JSONObjectModel, Equatable {
    /// Contact id.
    public var id: String
    /// Increments by exactly 1 on every update.
    public var revision: Int
    /// Where the contact came from.
    public var source: ContactSource?
    /// When the contact was created (RFC 3339).
    public var createdDate: String?
    /// When the contact was last updated (RFC 3339).
    public var updatedDate: String?
    /// The contact's last action on the site.
    public var lastActivity: ContactActivity?
    /// Primary email and phone, derived from ``info``.
    public var primaryInfo: PrimaryContactInfo?
    /// The contact's details.
    public var info: ContactInfo
    /// Primary email details, derived from ``info``.
    public var primaryEmail: PrimaryEmail?
    /// Primary phone details, derived from ``info``.
    public var primaryPhone: PrimaryPhone?

    /// Creates a contact.
    public init(
        id: String, revision: Int, source: ContactSource? = nil, createdDate: String? = nil,
        updatedDate: String? = nil, lastActivity: ContactActivity? = nil, primaryInfo: PrimaryContactInfo? = nil,
        info: ContactInfo = ContactInfo(), primaryEmail: PrimaryEmail? = nil, primaryPhone: PrimaryPhone? = nil
    ) {
        self.id = id
        self.revision = revision
        self.source = source
        self.createdDate = createdDate
        self.updatedDate = updatedDate
        self.lastActivity = lastActivity
        self.primaryInfo = primaryInfo
        self.info = info
        self.primaryEmail = primaryEmail
        self.primaryPhone = primaryPhone
    }

    public init?(json: JSONValue, path: String, context: JSONDecodingContext) {
        guard var reader = ObjectReader(json, path: path, context: context) else { return nil }
        guard let id = reader.string("id") else {
            context.record(reader.childPath("id"), "A contact must have an id.", rule: "REQUIRED")
            return nil
        }
        self.id = id
        revision = reader.int("revision") ?? 0
        source = reader.value("source")
        createdDate = reader.string("createdDate")
        updatedDate = reader.string("updatedDate")
        lastActivity = reader.value("lastActivity")
        primaryInfo = reader.value("primaryInfo")
        info = reader.value("info") ?? ContactInfo()
        primaryEmail = reader.value("primaryEmail")
        primaryPhone = reader.value("primaryPhone")
        reader.finish()
    }

    public func appendMembers<Members: JSONMembers>(to object: inout Members) {
        object.appendUnchecked("id", .string(id))
        object.appendUnchecked("revision", .int(revision))
        object.appendIfPresent("source", source)
        object.appendIfPresent("createdDate", createdDate)
        object.appendIfPresent("updatedDate", updatedDate)
        object.appendIfPresent("lastActivity", lastActivity)
        object.appendIfPresent("primaryInfo", primaryInfo)
        object.appendIfPresent("info", info)
        object.appendIfPresent("primaryEmail", primaryEmail)
        object.appendIfPresent("primaryPhone", primaryPhone)
    }
}
