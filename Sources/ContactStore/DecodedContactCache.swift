import Foundation
import WixContacts

/// Recently written or read contacts, decoded, keyed by id and revision, so an update does not
/// parse and decode the stored JSON of a contact it has just seen.
final class DecodedContactCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (contact: Contact, snapshot: ContactSnapshot)] = [:]
    private let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// The cached contact, only if it is at `revision`.
    func contact(_ id: String, revision: Int) -> (contact: Contact, snapshot: ContactSnapshot)? {
        lock.withLock {
            guard let entry = entries[id], entry.contact.revision == revision else { return nil }
            return entry
        }
    }

    /// Remembers a contact; evicts an arbitrary entry when full.
    func remember(_ contact: Contact, snapshot: ContactSnapshot) {
        lock.withLock {
            if entries[contact.id] == nil, entries.count >= capacity, let victim = entries.keys.first {
                entries[victim] = nil
            }
            entries[contact.id] = (contact, snapshot)
        }
    }
}
