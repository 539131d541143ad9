public import GRDB

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What one group commit's transaction keeps in memory between its writes, and writes once just
/// before it commits: state that every write of the batch would otherwise read and rewrite in
/// its own statements (the audit log's hash chain head).
///
/// The store's group committer opens a memo around a batch that runs without savepoints; a
/// write finds it with ``current(_:)``. Without one (a single write, or a batch rerun write by
/// write after a failure) there is nothing to defer, and callers read and write as usual. A
/// batch that fails is rolled back whole and its memo dropped with it, so nothing it held can
/// outlive its transaction.
///
/// The memo also holds the batch's prepared statements for ``BatchSQL`` (``Database/statement(for:)``),
/// so each is looked up once per batch, not once per write.
public final class TransactionMemo: @unchecked Sendable {
    // Inlinable below: specialized in the caller for its value's type, a lookup finds the box
    // by the type's identity and takes its value without a runtime cast (a cast from `Any` to a
    // struct was about 400 instructions, four times a write).
    // `@exclusivity(unchecked)`: Swift's run-time check that accesses do not overlap (about 70
    // instructions each, a dozen times a write) has nothing to catch here: a memo is used on one
    // thread at a time, and no access to its storage calls out while it lasts.
    /// Each kept value in its box, under its type's identity.
    @exclusivity(unchecked) @usableFromInline var boxes: [ObjectIdentifier: AnyObject] = [:]
    @exclusivity(unchecked) @usableFromInline var flushes: [(Database) throws -> Void] = []
    @exclusivity(unchecked) private var statements: [ObjectIdentifier: Statement] = [:]
    /// The connection whose transaction this is.
    private let database: ObjectIdentifier

    private init(database: ObjectIdentifier) {
        self.database = database
    }

    /// The value of type `Value` a write of this transaction kept, if any: a memo keeps one
    /// value of each type, so give each kind of state a type of its own.
    @inlinable
    public func value<Value>(_: Value.Type = Value.self) -> Value? {
        guard let box = boxes[ObjectIdentifier(Value.self)] else { return nil }
        // Only `keep` stores under this key, and always a `Box<Value>`.
        return unsafeDowncast(box, to: Box<Value>.self).value
    }

    /// Keeps `value` as the transaction's value of its type; `flush` writes the latest one kept
    /// before the transaction commits (registered once per type, by the first write that keeps
    /// one).
    @inlinable
    public func keep<Value>(_ value: Value, flush: @escaping (Database, Value) throws -> Void) {
        let key = ObjectIdentifier(Value.self)
        if let box = boxes[key] {
            unsafeDowncast(box, to: Box<Value>.self).value = value
            return
        }
        let box = Box(value)
        boxes[key] = box
        flushes.append { db in try flush(db, box.value) }
    }

    /// A kept value, in a class so that it is found and changed in place.
    @usableFromInline final class Box<Value> {
        @exclusivity(unchecked) @usableFromInline var value: Value

        @usableFromInline init(_ value: Value) {
            self.value = value
        }
    }

    /// Writes what was kept, in the order it was first kept.
    func flush(_ db: Database) throws {
        for flush in flushes { try flush(db) }
    }

    /// `sql`'s statement on `db`, prepared (or taken from GRDB's cache) by the batch's first
    /// write that runs it.
    func statement(_ sql: BatchSQL, in db: Database) throws -> Statement {
        let key = ObjectIdentifier(sql)
        if let statement = statements[key] { return statement }
        let statement = try db.cachedStatement(sql: sql.text)
        statements[key] = statement
        return statement
    }

    // MARK: - The memo of a connection's transaction

    /// Where ``run(on:_:)`` leaves the open memo for the thread it runs on. Every write of the
    /// batch runs synchronously inside `run`, on that thread, so a thread-local finds it without
    /// a lock (a process-wide table behind a lock cost about 400 instructions a lookup).
    private static let openMemo: pthread_key_t = {
        var key = pthread_key_t()
        guard pthread_key_create(&key, nil) == 0 else { fatalError("pthread_key_create failed") }
        return key
    }()

    /// The memo of the transaction `db` is running, if its group commit opened one.
    public static func current(_ db: Database) -> TransactionMemo? {
        guard let pointer = pthread_getspecific(openMemo) else { return nil }
        let memo = Unmanaged<TransactionMemo>.fromOpaque(pointer).takeUnretainedValue()
        return memo.database == ObjectIdentifier(db) ? memo : nil
    }

    /// Runs `body` with a memo open on `db`, then, if `body` returns `true` (the batch is to be
    /// committed), writes what it kept; returns what `body` returned.
    public static func run(on db: Database, _ body: () throws -> Bool) throws -> Bool {
        let memo = TransactionMemo(database: ObjectIdentifier(db))
        let outer = pthread_getspecific(openMemo)
        pthread_setspecific(openMemo, Unmanaged.passUnretained(memo).toOpaque())
        defer { pthread_setspecific(openMemo, outer) }
        return try withExtendedLifetime(memo) {
            guard try body() else { return false }
            try memo.flush(db)
            return true
        }
    }
}

/// SQL that the writes of a group commit run again and again, found by identity: inside a batch
/// its statement is looked up in the batch's ``TransactionMemo`` by this object, instead of in
/// GRDB's statement cache by the text (which hashes and compares the whole text at every
/// lookup: about 1,000–2,300 instructions, a few times per write).
///
/// Declare one per statement, once (a `static let`):
///
/// ```swift
/// static let revision = BatchSQL("SELECT revision FROM contact WHERE id = ?")
/// let statement = try db.statement(for: Self.revision)
/// ```
public final class BatchSQL: Sendable {
    /// The statement's SQL.
    public let text: String

    /// SQL to find by identity; keep the object for as long as the statement is used.
    public init(_ text: String) {
        self.text = text
    }
}

extension Database {
    /// The prepared statement for `sql`: inside a group commit, the one the batch already
    /// prepared for it (``TransactionMemo``); elsewhere GRDB's cached statement for its text.
    public func statement(for sql: BatchSQL) throws -> Statement {
        if let memo = TransactionMemo.current(self) { return try memo.statement(sql, in: self) }
        return try cachedStatement(sql: sql.text)
    }
}
