import Foundation
import WixContacts

/// Recently written or read contacts, decoded, keyed by id, so an update does not read, parse
/// and decode a contact it has just seen.
final class DecodedContactCache: @unchecked Sendable {
    /// One contact as last seen by this process.
    struct Entry {
        let contact: Contact
        let snapshot: ContactSnapshot
        let isMember: Bool
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// The cached contact, only if it is at `revision`.
    func contact(_ id: String, revision: Int) -> Entry? {
        lock.withLock {
            guard let entry = entries[id], entry.contact.revision == revision else { return nil }
            return entry
        }
    }

    /// The newest state of the contact this process committed or read. It may be stale
    /// (another process may have written since), so a plan made from it must be checked against
    /// the stored revision before it is applied.
    func latest(_ id: String) -> Entry? {
        lock.withLock { entries[id] }
    }

    /// Remembers a committed (or read) state of a contact, unless a newer revision is already
    /// cached (a read that raced a commit); evicts an arbitrary entry when full.
    func remember(_ contact: Contact, snapshot: ContactSnapshot, isMember: Bool) {
        let entry = Entry(contact: contact, snapshot: snapshot, isMember: isMember)
        // The replaced entry is released after the lock, outside the critical section.
        let replaced: Entry? = lock.withLock {
            if let current = entries[contact.id] {
                guard current.contact.revision <= contact.revision else { return nil }
            } else if entries.count >= capacity, let victim = entries.keys.first {
                entries[victim] = nil
            }
            return entries.updateValue(entry, forKey: contact.id)
        }
        _ = replaced
    }
}
