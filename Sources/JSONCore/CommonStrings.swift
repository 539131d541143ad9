/// Short strings that JSON-RPC requests and contacts use over and over (member names, the
/// protocol version, method names, item tags), kept ready-made: the parser hands out one of
/// these for a string spelled the same way without escapes, instead of building a new string
/// and checking its UTF-8 each time.
///
/// Only an optimisation: a string not listed here is parsed as any string is, and the result is
/// the same string either way.
enum CommonStrings {
    /// The longest string listed, in bytes (two 64-bit words).
    static let longest = 16

    /// One listed string: its bytes as two words, zero-padded, their count, and the string.
    private struct Entry {
        let words: (UInt64, UInt64)
        let count: Int
        let name: String
    }

    /// Slots in the table: a power of two, several times the strings, so that a lookup probes
    /// one or two.
    private static let slotCount = 512

    /// An open-addressing hash table of the strings by their words, allocated once and never
    /// freed (a buffer, not an array, so that a lookup retains nothing).
    nonisolated(unsafe) private static let slots: UnsafeBufferPointer<Entry?> = {
        let names = [
            // The JSON-RPC envelope.
            "jsonrpc", "id", "method", "params",
            // The gateway's params.
            "contactId", "contactIds", "revision", "info", "actor", "dryRun", "allowDuplicates", "filter",
            "sort", "order", "fieldName", "paging", "limit", "offset", "cursor", "auditId", "since", "until",
            "operation", "mode", "undoOf", "labelKey", "labelKeys", "displayName", "fieldsets", "query",
            // A contact and its info.
            "name", "first", "last", "emails", "email", "items", "tag", "primary", "phones", "phone",
            "countryCode", "e164Phone", "formattedPhone", "addresses", "address", "addressLine",
            "addressLine1", "addressLine2", "streetAddress", "number", "city", "subdivision", "country",
            "postalCode", "formatted", "company", "jobTitle", "birthdate", "locale", "extendedFields",
            "picture", "image", "url", "width", "height", "altText", "createdDate", "updatedDate",
            "primaryInfo", "primaryEmail", "primaryPhone", "lastActivity", "activityDate",
            "activityType", "source", "sourceType", "appId", "key", "dataType", "description",
            // Values: the protocol's version, the busiest methods, item tags.
            "2.0", "contacts.get", "contacts.update", "contacts.create", "contacts.query", "MAIN", "HOME",
            "WORK", "MOBILE", "FAX", "UNTAGGED", "BILLING", "SHIPPING",
        ]
        let buffer = UnsafeMutableBufferPointer<Entry?>.allocate(capacity: slotCount)
        buffer.initialize(repeating: nil)
        for name in names {
            precondition((1...longest).contains(name.utf8.count), "\(name) cannot be a common string")
            let words = ByteWords.padded(name.utf8)
            var slot = firstSlot(of: words)
            while let taken = buffer[slot] {
                precondition(taken.name != name, "\(name) is listed twice")
                slot = (slot + 1) & (slotCount - 1)
            }
            buffer[slot] = Entry(words: words, count: name.utf8.count, name: name)
        }
        return UnsafeBufferPointer(buffer)
    }()

    /// The listed string whose `count` bytes are `words` (zero-padded), if any.
    @inline(__always)
    static func string(spelledBy words: (UInt64, UInt64), count: Int) -> String? {
        guard count > 0 else { return nil }
        let slots = Self.slots
        var slot = firstSlot(of: words)
        while let entry = slots[slot] {
            // The count too: a raw NUL (invalid in a name) pads like nothing at all.
            if entry.words == words, entry.count == count { return entry.name }
            slot = (slot + 1) & (slotCount - 1)
        }
        return nil
    }

    /// Where a string's probe starts.
    @inline(__always)
    private static func firstSlot(of words: (UInt64, UInt64)) -> Int {
        let mixed = (words.0 ^ (words.1 &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: mixed >> 55) & (slotCount - 1)
    }
}
