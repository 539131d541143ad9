public import JSONCore

/// A contact at one revision, held as the canonical JSON the store or server produced.
///
/// Reads hand the bytes out without decoding them again; ``contact()`` decodes on demand.
public struct ContactSnapshot: Sendable {
    /// Contact id.
    public let id: String
    /// The revision these bytes describe.
    public let revision: Int
    /// The contact's REST JSON.
    public let json: RawJSON
    /// Boxed: a `Contact` is a large value, and snapshots are handed on and copied often (into
    /// audit records, outcomes and the cache); a copy should not retain every field of it.
    private let decoded: DecodedContact?

    /// A snapshot of a contact the caller already holds decoded; encodes it once.
    public init(contact: Contact) {
        self.init(decoded: DecodedContact(contact))
    }

    /// A snapshot of the contact `decoded` holds, sharing it (no copy); encodes it once.
    package init(decoded: DecodedContact) {
        // Read where it is: a local copy of the contact would retain every field of it.
        id = decoded.contact.id
        revision = decoded.contact.revision
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        decoded.contact.writeJSON(to: &bytes)
        json = RawJSON(trusted: bytes)
        self.decoded = decoded
    }

    /// The decoded contact this snapshot shares, when it was made from one.
    package var decodedContact: DecodedContact? { decoded }

    /// A snapshot of stored or received JSON.
    public init(id: String, revision: Int, json: RawJSON) {
        self.id = id
        self.revision = revision
        self.json = json
        decoded = nil
    }

    /// The decoded contact.
    public func contact() throws(ContactsError) -> Contact {
        if let decoded { return decoded.contact }
        do {
            return try Contact.decode(try json.parsed())
        } catch let error as ContactsError {
            throw error
        } catch {
            throw ContactsError(.internalError, message: "A stored contact is not valid JSON.")
        }
    }
}

/// A decoded contact, shared by the copies of one snapshot and by whatever else holds the same
/// contact (a planned change, the store's cache of recent contacts): each copy of a `Contact`
/// retains every string and list of it, and releases them again.
package final class DecodedContact: Sendable {
    /// The contact.
    @usableFromInline package let contact: Contact
    /// Holds `contact`. Inlinable, so that a caller's last use of a contact moves it in
    /// rather than copying it.
    @inlinable package init(_ contact: Contact) { self.contact = contact }
}

/// One page of a contact query.
public struct ContactPage: Sendable {
    /// The contacts on this page.
    public var contacts: [ContactSnapshot]
    /// How many contacts are on this page.
    public var count: Int { contacts.count }
    /// The offset of the first contact.
    public var offset: Int
    /// How many contacts match the filter in all.
    public var total: Int

    /// Creates a page.
    public init(contacts: [ContactSnapshot], offset: Int, total: Int) {
        self.contacts = contacts
        self.offset = offset
        self.total = total
    }
}
