import Foundation

/// Where the last pages of recent queries in the default order (newest first) ended, so that
/// the next page of the same query starts right after that contact instead of walking its
/// offset again: `paging.offset` keeps its meaning, and paging through a million contacts 50
/// at a time costs each page its 50 rows, not the offset before it (keyset under the hood).
///
/// An anchor holds only while nothing was committed since it was taken (the store's commit
/// epoch, which every writing process bumps) and the query still counts the same total.
final class PageAnchors: @unchecked Sendable {
    /// The last contact of a page: its place in the default order, and what it was taken under.
    struct Anchor: Equatable {
        var epoch: UInt64
        var total: Int
        var createdDate: String
        var id: String
    }

    private let lock = NSLock()
    private var anchors: [String: Anchor] = [:]
    private var insertionOrder: [String] = []
    private let capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// The anchor that ends the first `position` contacts of query `key`, if it still holds.
    func anchor(for key: String, at position: Int, epoch: UInt64, total: Int) -> Anchor? {
        lock.withLock {
            guard let anchor = anchors[Self.slot(key, position)], anchor.epoch == epoch, anchor.total == total
            else { return nil }
            return anchor
        }
    }

    /// Remembers that `anchor` ends the first `position` contacts of query `key`.
    func remember(_ anchor: Anchor, for key: String, at position: Int) {
        lock.withLock {
            let slot = Self.slot(key, position)
            if anchors.updateValue(anchor, forKey: slot) == nil { insertionOrder.append(slot) }
            if insertionOrder.count > capacity {
                anchors[insertionOrder.removeFirst()] = nil
            }
        }
    }

    private static func slot(_ key: String, _ position: Int) -> String { "\(position)\u{0}\(key)" }
}
