import Foundation
import WixContacts

/// Recently written or read contacts, decoded, keyed by id: an update does not read, parse and
/// decode a contact it has just seen, and `contacts.get` answers from memory when the contact's
/// latest change was this process's own and nobody has committed since.
///
/// Which entries are the latest is told by the ``CommitEpoch``: every commit anywhere bumps it.
/// `known` is the counter value up to which every bump is accounted for; a bump that is not this
/// process's own moves `cleanFrom` up to it, and only changes this process committed after
/// `cleanFrom` are answered from memory. The counter is read and bumped under the same lock as
/// this bookkeeping, so no bump slips between them.
final class DecodedContactCache: @unchecked Sendable {
    /// One contact as last seen by this process. A class: handing an entry out of the
    /// dictionary then costs one reference, not a copy of a whole decoded contact.
    final class Entry: Sendable {
        /// The contact, shared with the change that committed it (or held here alone, for a
        /// state read from the store).
        let decoded: DecodedContact
        /// The contact, read in place.
        var contact: Contact {
            _read { yield decoded.contact }
        }
        let snapshot: ContactSnapshot
        let isMember: Bool
        /// The counter value of the commit that produced it; 0 for a state read from the store.
        let committedAt: UInt64
        /// Whether the commit that produced it also recorded `snapshot`, byte for byte, as the
        /// `after` of an audit entry (see ``ContactStore/write(auditedChange:)``).
        let recordedInAudit: Bool
        /// `snapshot` as the `contact` row holds it (packed: ``CompactJSON``), when known: the
        /// next change's audit entry stores these bytes as its `before`.
        let stored: [UInt8]?
        /// The id of the journal record the contact's row kept as its head after the commit
        /// that produced it (`journal_head`), when that commit wrote it; `nil` when not known.
        let journalHead: Int64?

        init(
            decoded: DecodedContact, snapshot: ContactSnapshot, stored: [UInt8]?, isMember: Bool, committedAt: UInt64,
            recordedInAudit: Bool, journalHead: Int64?
        ) {
            self.decoded = decoded
            self.snapshot = snapshot
            self.stored = stored
            self.isMember = isMember
            self.committedAt = committedAt
            self.recordedInAudit = recordedInAudit
            self.journalHead = journalHead
        }
    }

    private let lock = NSLock()
    // Guarded by `lock`. `@exclusivity(unchecked)`: Swift's run-time check only catches
    // overlapping accesses on one thread, and no access here calls out while it lasts.
    @exclusivity(unchecked) private var entries: [String: Entry] = [:]
    private let capacity: Int
    private let epoch: CommitEpoch
    @exclusivity(unchecked) private var known: UInt64
    @exclusivity(unchecked) private var cleanFrom: UInt64

    init(epoch: CommitEpoch, capacity: Int = 4096) {
        self.epoch = epoch
        self.capacity = capacity
        known = epoch.current()
        cleanFrom = known
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

    /// The contact as stored now, when that is known without reading: this process committed
    /// its latest change and no other commit has happened since. `nil` means "read it".
    ///
    /// A change of this process that has committed but is not yet remembered is not seen; it
    /// is not acknowledged yet either, so a concurrent reader may see the state before it (the
    /// JSON-RPC ordering of requests on one contact keeps a client's own get behind it).
    func currentSnapshot(_ id: String) -> ContactSnapshot? {
        lock.withLock {
            let now = epoch.current()
            if now != known {
                // Someone else committed: nothing committed before now is known to be the latest.
                known = now
                cleanFrom = now
                return nil
            }
            guard let entry = entries[id], entry.committedAt > cleanFrom else { return nil }
            return entry.snapshot
        }
    }

    /// The commit epoch now: it moves whenever any process commits.
    func currentEpoch() -> UInt64 { epoch.current() }

    /// Bumps the counter for a commit of this process that has just succeeded, and returns the
    /// commit's counter value for ``remember(_:snapshot:isMember:committedAt:)``.
    func noteCommit() -> UInt64 {
        lock.withLock {
            let before = epoch.bump()
            // Another bump came first: its commit may have come before or after this one.
            if before != known { cleanFrom = before + 1 }
            known = before + 1
            return before + 1
        }
    }

    /// Forgets a contact this process deleted: neither a get nor a plan may start from it.
    func forget(_ id: String) {
        let removed: Entry? = lock.withLock { entries.removeValue(forKey: id) }
        _ = removed
    }

    /// Remembers a state of a contact: committed by this process (`committedAt` from
    /// ``noteCommit()``, and `recordedInAudit` when that commit also wrote its audit entry, and
    /// `journalHead` when it wrote the row's head) or read from the store (0). Keeps a newer
    /// revision already cached (a read that raced a commit); evicts an arbitrary entry when full.
    func remember(
        _ contact: Contact, snapshot: ContactSnapshot, stored: [UInt8]?, isMember: Bool, committedAt: UInt64 = 0,
        recordedInAudit: Bool = false, journalHead: Int64? = nil
    ) {
        remember(
            DecodedContact(contact), snapshot: snapshot, stored: stored, isMember: isMember, committedAt: committedAt,
            recordedInAudit: recordedInAudit, journalHead: journalHead)
    }

    /// ``remember(_:snapshot:stored:isMember:committedAt:recordedInAudit:journalHead:)`` of a
    /// contact held elsewhere too (a committed change's `after`): the entry shares it.
    func remember(
        _ decoded: DecodedContact, snapshot: ContactSnapshot, stored: [UInt8]?, isMember: Bool,
        committedAt: UInt64 = 0, recordedInAudit: Bool = false, journalHead: Int64? = nil
    ) {
        let entry = Entry(
            decoded: decoded, snapshot: snapshot, stored: stored, isMember: isMember, committedAt: committedAt,
            recordedInAudit: recordedInAudit, journalHead: journalHead)
        let id = decoded.contact.id
        let revision = decoded.contact.revision
        // The replaced entry is released after the lock, outside the critical section.
        let replaced: Entry? = lock.withLock {
            if let current = entries[id] {
                let isNewer =
                    current.contact.revision < revision
                    || (current.contact.revision == revision && committedAt >= current.committedAt)
                guard isNewer else { return nil }
            } else if entries.count >= capacity, let victim = entries.keys.first {
                entries[victim] = nil
            }
            return entries.updateValue(entry, forKey: id)
        }
        _ = replaced
    }
}
