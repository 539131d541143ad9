import Foundation
import GRDB

/// Read-only connections that a caller borrows and uses on its own thread, for short reads on
/// the hot path (`contacts.get`, write planning).
///
/// GRDB's async read hops to a reader queue and back, which costs more than the point lookup
/// itself. Borrowing never waits: when every connection is busy and the limit is reached,
/// ``read(_:)`` returns `nil` and the caller falls back to the async read — so a cooperative
/// thread is never blocked on a pool, which could starve other readers and deadlock.
final class InlineReaders: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [DatabaseQueue] = []
    private var opened = 0
    private let limit: Int
    private let path: String
    private let configuration: Configuration

    init(path: String, limit: Int, busyTimeout: TimeInterval) {
        self.path = path
        self.limit = limit
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "contacts-gateway.inline-reader"
        self.configuration = configuration
    }

    /// Runs `body` on a borrowed connection, or returns `nil` when none is free.
    ///
    /// No explicit transaction: each statement reads a consistent snapshot on its own, which is
    /// all a point lookup needs; a write planned from several statements is checked again inside
    /// the write transaction before it is applied.
    func read<T>(_ body: (Database) throws -> T) throws -> T? {
        guard let connection = try borrow() else { return nil }
        defer { giveBack(connection) }
        return try connection.inDatabase(body)
    }

    private func borrow() throws -> DatabaseQueue? {
        let reserved = lock.withLock { () -> (DatabaseQueue?, Bool) in
            if let connection = idle.popLast() { return (connection, false) }
            guard opened < limit else { return (nil, false) }
            opened += 1
            return (nil, true)
        }
        if let connection = reserved.0 { return connection }
        guard reserved.1 else { return nil }
        do {
            return try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            lock.withLock { opened -= 1 }
            throw error
        }
    }

    private func giveBack(_ connection: DatabaseQueue) {
        lock.withLock { idle.append(connection) }
    }
}
