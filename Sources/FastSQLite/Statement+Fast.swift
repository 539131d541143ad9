public import GRDB
import GRDBSQLite

/// A value bound to a statement parameter by the fast path.
public enum SQLArgument: Sendable {
    case int(Int64)
    case text(String)
    case blob([UInt8])
    case null

    /// `.text`, or `.null` for `nil`.
    public static func text(_ value: String?) -> SQLArgument { value.map(SQLArgument.text) ?? .null }
    /// `.int`, or `.null` for `nil`.
    public static func int(_ value: Int?) -> SQLArgument { value.map { .int(Int64($0)) } ?? .null }
}

/// Runs GRDB's prepared (usually cached) statements straight through the SQLite C API.
///
/// GRDB's `execute(arguments:)` and `fetchOne` box every argument as a `DatabaseValue`, copy
/// blobs into `Data`, and do per-execution bookkeeping for observation and scheduling checks.
/// On the hot paths (a contact read, and the few statements of each write in the group commit)
/// that bookkeeping cost more than SQLite's own work. These methods bind, step and reset the
/// same statement, leaving it as GRDB expects to find it.
///
/// Call them only where GRDB would allow the statement to run: inside the database access that
/// owns the statement's connection.
extension Statement {
    /// Binds `arguments` (in parameter order), runs the statement to completion and resets it.
    public func run(_ arguments: SQLArgument...) throws {
        try run(arguments: arguments)
    }

    /// ``run(_:)`` with the arguments as an array.
    public func run(arguments: [SQLArgument]) throws {
        _ = try fetchAll(arguments: arguments) { _ in () }
    }

    /// The first row, handed to `body`; `nil` when there is none.
    public func fetchFirst<T>(_ arguments: SQLArgument..., body: (FastRow) throws -> T) throws -> T? {
        try withBound(arguments) {
            let code = sqlite3_step(sqliteStatement)
            if code == SQLITE_DONE { return nil }
            guard code == SQLITE_ROW else { throw failure(code) }
            return try body(FastRow(statement: sqliteStatement))
        }
    }

    /// Every row, each handed to `body`.
    public func fetchAll<T>(arguments: [SQLArgument], body: (FastRow) throws -> T) throws -> [T] {
        try withBound(arguments) {
            var rows: [T] = []
            while true {
                let code = sqlite3_step(sqliteStatement)
                if code == SQLITE_DONE { return rows }
                guard code == SQLITE_ROW else { throw failure(code) }
                rows.append(try body(FastRow(statement: sqliteStatement)))
            }
        }
    }

    /// Binds the arguments of several rows one after another, the first row's from parameter 1
    /// on (a multi-row `INSERT ... VALUES (...), (...)`), runs the statement to completion and
    /// resets it. The same as ``run(arguments:)`` with the rows joined, without building the
    /// joined array (a copy of every argument, for 32 rows of an audit entry's 22 columns).
    public func run(rows: ArraySlice<[SQLArgument]>) throws {
        var byteCount = 0
        for row in rows {
            for argument in row { byteCount += argument.boundByteCount }
        }
        try withBound(byteCount: byteCount) { binder in
            var index: Int32 = 1
            for row in rows {
                for argument in row {
                    try binder.bind(argument, at: index)
                    index += 1
                }
            }
        } _: {
            // To completion, rows and all, as `run(arguments:)` does.
            while true {
                let code = sqlite3_step(sqliteStatement)
                if code == SQLITE_DONE { return }
                guard code == SQLITE_ROW else { throw failure(code) }
            }
        }
    }

    private func withBound<T>(_ arguments: [SQLArgument], _ body: () throws -> T) throws -> T {
        var byteCount = 0
        for argument in arguments { byteCount += argument.boundByteCount }
        return try withBound(byteCount: byteCount) { binder in
            for (offset, argument) in arguments.enumerated() {
                try binder.bind(argument, at: Int32(offset + 1))
            }
        } _: {
            try body()
        }
    }

    /// Runs `bindAll` with a binder whose buffer holds `byteCount` bytes of text and blobs, then
    /// `body`; resets the statement and clears its bindings whatever happens, and only then frees
    /// the buffer the bindings pointed into.
    @inline(__always)
    private func withBound<T>(
        byteCount: Int, _ bindAll: (inout ArgumentBinder) throws -> Void, _ body: () throws -> T
    ) throws -> T {
        let statement = sqliteStatement
        var binder = ArgumentBinder(statement: statement, byteCount: byteCount)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            binder.deallocate()
        }
        do {
            try bindAll(&binder)
        } catch let code as BindFailure {
            throw failure(code.code)
        }
        return try body()
    }

    private func failure(_ code: Int32) -> DatabaseError {
        let connection = sqlite3_db_handle(sqliteStatement)
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
        return DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: sql)
    }
}

/// Binds one execution's arguments. Text and blobs are copied into one buffer, allocated once
/// for the execution, and bound from there without SQLite copying each value (`SQLITE_STATIC`):
/// SQLite made a copy of its own, an allocation, for every text and blob bound (some 300 for a
/// batch of 32 audit entries). The buffer must outlive the bindings: it is freed only after the
/// statement's bindings are cleared.
struct ArgumentBinder {
    private let statement: SQLiteStatement
    private let bytes: UnsafeMutableRawBufferPointer?
    private var used = 0

    init(statement: SQLiteStatement, byteCount: Int) {
        self.statement = statement
        bytes = byteCount > 0 ? .allocate(byteCount: byteCount, alignment: 1) : nil
    }

    /// Binds `argument` to parameter `index` (1-based).
    ///
    /// - Throws: ``BindFailure``.
    @inline(__always)
    mutating func bind(_ argument: SQLArgument, at index: Int32) throws(BindFailure) {
        let code: Int32
        switch argument {
        case .int(let value):
            code = sqlite3_bind_int64(statement, index, value)
        case .text(let value):
            var value = value
            let (start, count) = value.withUTF8 { (copy(UnsafeRawBufferPointer($0)), $0.count) }
            code = sqlite3_bind_text(statement, index, start.assumingMemoryBound(to: CChar.self), Int32(count), nil)
        case .blob(let blob):
            // An empty blob still needs a non-null pointer, or SQLite stores NULL (`copy` gives one).
            let start = blob.withUnsafeBytes { copy($0) }
            code = sqlite3_bind_blob(statement, index, start, Int32(blob.count), nil)
        case .null:
            code = sqlite3_bind_null(statement, index)
        }
        guard code == SQLITE_OK else { throw BindFailure(code: code) }
    }

    /// Copies `source` to the buffer's next free bytes and returns where they start; never `nil`,
    /// even for no bytes.
    @inline(__always)
    private mutating func copy(_ source: UnsafeRawBufferPointer) -> UnsafeRawPointer {
        guard let bytes, let base = bytes.baseAddress else { return Self.noBytes }
        precondition(used + source.count <= bytes.count, "more bytes bound than counted")
        let start = base + used
        if let from = source.baseAddress, source.count > 0 {
            start.copyMemory(from: from, byteCount: source.count)
        }
        used += source.count
        return UnsafeRawPointer(start)
    }

    /// Frees the buffer; call after the bindings that point into it are cleared.
    func deallocate() {
        bytes?.deallocate()
    }

    /// Where empty text and blobs point when nothing else was bound: a real byte, zero. Written
    /// once, when it is made, and only read after (so shared without a lock).
    nonisolated(unsafe) private static let noBytes: UnsafeRawPointer = {
        let byte = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
        byte.storeBytes(of: 0, as: UInt8.self)
        return UnsafeRawPointer(byte)
    }()
}

/// A binding SQLite refused, with its result code.
struct BindFailure: Error {
    let code: Int32
}

extension SQLArgument {
    /// The bytes ``ArgumentBinder`` copies for this value.
    @inline(__always)
    var boundByteCount: Int {
        switch self {
        case .text(let value): return value.utf8.count
        case .blob(let bytes): return bytes.count
        case .int, .null: return 0
        }
    }
}

/// The current row of a statement stepped by ``GRDB/Statement/fetchFirst(_:body:)`` or
/// ``GRDB/Statement/fetchAll(arguments:body:)``; valid only inside that call.
public struct FastRow {
    let statement: SQLiteStatement

    /// Column `index` (0-based) as an integer; 0 when NULL.
    public func int(_ index: Int32) -> Int {
        Int(sqlite3_column_int64(statement, index))
    }

    /// Column `index` as an integer; `nil` when NULL.
    public func optionalInt(_ index: Int32) -> Int? {
        isNull(index) ? nil : int(index)
    }

    /// Whether column `index` is NULL.
    public func isNull(_ index: Int32) -> Bool {
        sqlite3_column_type(statement, index) == SQLITE_NULL
    }

    /// Whether column `index` holds an integer.
    public func isInteger(_ index: Int32) -> Bool {
        sqlite3_column_type(statement, index) == SQLITE_INTEGER
    }

    /// Column `index` as a copy of its bytes (blob or text); `nil` when NULL.
    public func optionalBytes(_ index: Int32) -> [UInt8]? {
        isNull(index) ? nil : bytes(index)
    }

    /// Column `index` as a copy of its bytes (blob or text); empty when NULL.
    public func bytes(_ index: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, index))
        guard count > 0, let base = sqlite3_column_blob(statement, index) else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Column `index` as text; `nil` when NULL.
    public func text(_ index: Int32) -> String? {
        guard let base = sqlite3_column_text(statement, index) else { return nil }
        return String(cString: base)
    }
}
