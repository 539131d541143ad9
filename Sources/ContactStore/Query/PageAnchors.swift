import Foundation

/// Places in the default order (newest first) that recent queries reached — where their pages
/// ended, and, walking an unfiltered deep offset, every ``stride`` contacts on the way — so a
/// later page of the same query starts from the nearest one before it instead of walking its
/// whole offset again: `paging.offset` keeps its meaning, the next page costs its own rows, and
/// any page of an unfiltered query at most ``stride`` entries more (keyset under the hood).
///
/// An anchor holds while the query's contacts keep their order: for an unfiltered query, while
/// no contact was inserted or deleted (`contact_count.version`, read in the page's own snapshot:
/// updates keep the order), and across inserts and deletes it is moved by them
/// (``rebase(_:from:to:total:shift:)``); for a filtered one, while nothing was committed at all
/// (the store's commit epoch, which every writing process bumps, since an update may move a
/// contact in or out of the set). Either way the query must still count the same total.
final class PageAnchors: @unchecked Sendable {
    /// A contact in the default order, and what it was taken under.
    struct Anchor: Equatable {
        /// The order version or commit epoch it holds under (see the type's description).
        var stamp: UInt64
        var total: Int
        /// `created_date`: milliseconds since 1970.
        var createdDate: Int64
        var id: String
    }

    /// How far apart a deep walk leaves anchors.
    static let stride = 5_000

    private let lock = NSLock()
    /// By query, by position (the anchor is the position-th contact, counted from 1).
    private var anchors: [String: [Int: Anchor]] = [:]
    private var queries: [String] = []
    private let queryCapacity: Int
    private let anchorsPerQuery: Int

    init(queryCapacity: Int = 32, anchorsPerQuery: Int = 1024) {
        self.queryCapacity = queryCapacity
        self.anchorsPerQuery = anchorsPerQuery
    }

    /// The anchor nearest before `position` (or at it) for query `key` that still holds.
    func anchor(for key: String, atOrBefore position: Int, stamp: UInt64, total: Int)
        -> (position: Int, anchor: Anchor)?
    {
        lock.withLock {
            guard let held = anchors[key] else { return nil }
            var best: (position: Int, anchor: Anchor)?
            for (at, anchor) in held
            where at <= position && anchor.stamp == stamp && anchor.total == total && at > (best?.position ?? 0) {
                best = (at, anchor)
            }
            return best
        }
    }

    /// The stamp the anchors of query `key` were taken under, when it is not `stamp`.
    func staleStamp(for key: String, current stamp: UInt64) -> UInt64? {
        lock.withLock {
            guard let held = anchors[key]?.values.first, held.stamp != stamp else { return nil }
            return held.stamp
        }
    }

    /// Moves the anchors of query `key` taken under `old` to `new` and `total`: each to its
    /// position plus `shift(anchor)` (the contacts inserted before it, less those deleted at or
    /// before it), or drops them all when `shift` is `nil` (the changes are no longer known).
    func rebase(_ key: String, from old: UInt64, to new: UInt64, total: Int, shift: ((Anchor) -> Int)?) {
        lock.withLock {
            guard let held = anchors[key] else { return }
            guard let shift else {
                anchors[key] = [:]
                return
            }
            var moved: [Int: Anchor] = [:]
            for (position, var anchor) in held where anchor.stamp == old {
                let at = position + shift(anchor)
                anchor.stamp = new
                anchor.total = total
                if at > 0 { moved[at] = anchor }
            }
            anchors[key] = moved
        }
    }

    /// Remembers that `anchor` is the `position`-th contact of query `key`; anchors of the query
    /// taken under another stamp or total are dropped.
    func remember(_ anchor: Anchor, for key: String, at position: Int) {
        lock.withLock {
            if var held = anchors[key] {
                held = held.filter { $0.value.stamp == anchor.stamp && $0.value.total == anchor.total }
                if held.count >= anchorsPerQuery { held.removeAll() }
                held[position] = anchor
                anchors[key] = held
            } else {
                anchors[key] = [position: anchor]
                queries.append(key)
                if queries.count > queryCapacity { anchors[queries.removeFirst()] = nil }
            }
        }
    }
}
