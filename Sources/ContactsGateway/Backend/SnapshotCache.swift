import Foundation
import WixContacts

/// The latest contact snapshots the gateway has seen from the remote, so an update at a revision
/// the gateway already holds needs no extra GET for its audit `before` snapshot.
final class SnapshotCache: @unchecked Sendable {
    private let lock = NSLock()
    private var snapshots: [String: ContactSnapshot] = [:]
    private let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The cached snapshot, if it is at `revision` (any revision when `nil`).
    func snapshot(_ id: String, revision: Int? = nil) -> ContactSnapshot? {
        lock.withLock {
            guard let snapshot = snapshots[id], revision == nil || snapshot.revision == revision else { return nil }
            return snapshot
        }
    }

    /// Remembers a snapshot unless a newer revision is already known.
    func remember(_ snapshot: ContactSnapshot) {
        lock.withLock {
            if let known = snapshots[snapshot.id], known.revision > snapshot.revision { return }
            if snapshots.count >= capacity, snapshots[snapshot.id] == nil, let victim = snapshots.keys.first {
                snapshots[victim] = nil
            }
            snapshots[snapshot.id] = snapshot
        }
    }

    /// Forgets a contact that was deleted.
    func forget(_ id: String) {
        _ = lock.withLock { snapshots.removeValue(forKey: id) }
    }
}
