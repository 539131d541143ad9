import Foundation
public import GRDB

/// What one group commit's transaction keeps in memory between its writes, and writes once just
/// before it commits: state that every write of the batch would otherwise read and rewrite in
/// its own statements (the audit log's hash chain head).
///
/// The store's group committer opens a memo around a batch that runs without savepoints; a
/// write finds it with ``current(_:)``. Without one (a single write, or a batch rerun write by
/// write after a failure) there is nothing to defer, and callers read and write as usual. A
/// batch that fails is rolled back whole and its memo dropped with it, so nothing it held can
/// outlive its transaction.
public final class TransactionMemo: @unchecked Sendable {
    private var values: [ObjectIdentifier: Any] = [:]
    private var flushes: [(key: ObjectIdentifier, flush: (Database) throws -> Void)] = []

    private init() {}

    /// The value kept under `key`, if a write of this transaction kept one.
    public func value<Value>(for key: ObjectIdentifier, as _: Value.Type = Value.self) -> Value? {
        values[key] as? Value
    }

    /// Keeps `value` under `key`; `flush` writes the latest one kept before the transaction
    /// commits (registered once per key, by the first write that keeps one).
    public func keep<Value>(
        _ value: Value, for key: ObjectIdentifier, flush: @escaping (Database, Value) throws -> Void
    ) {
        if values.updateValue(value, forKey: key) == nil {
            flushes.append(
                (
                    key,
                    { [unowned self] db in
                        if let latest = self.values[key] as? Value { try flush(db, latest) }
                    }
                ))
        }
    }

    /// Writes what was kept, in the order it was first kept.
    func flush(_ db: Database) throws {
        for entry in flushes { try entry.flush(db) }
    }

    // MARK: - The memo of a connection's transaction

    private static let lock = NSLock()
    nonisolated(unsafe) private static var open: [ObjectIdentifier: TransactionMemo] = [:]

    /// The memo of the transaction `db` is running, if its group commit opened one.
    public static func current(_ db: Database) -> TransactionMemo? {
        lock.withLock { open[ObjectIdentifier(db)] }
    }

    /// Runs `body` with a memo open on `db`, then, if `body` returns `true` (the batch is to be
    /// committed), writes what it kept; returns what `body` returned.
    public static func run(on db: Database, _ body: () throws -> Bool) throws -> Bool {
        let memo = TransactionMemo()
        let key = ObjectIdentifier(db)
        lock.withLock { open[key] = memo }
        defer { lock.withLock { open[key] = nil } }
        guard try body() else { return false }
        try memo.flush(db)
        return true
    }
}
