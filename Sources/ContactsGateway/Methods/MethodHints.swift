/// What a method does to the data, for front ends that tell their clients (MCP's tool
/// annotations) and for callers deciding what is safe to retry.
///
/// ```swift
/// descriptor.hints.readOnly      // contacts.get: true
/// descriptor.hints.idempotent    // labels.findOrCreate: true (a second call finds the first's label)
/// ```
public struct MethodHints: Sendable, Equatable {
    /// The method changes nothing.
    public var readOnly: Bool
    /// The method may remove or overwrite data beyond what its params name (a delete, a bulk
    /// change); an update of the fields sent is not destructive.
    public var destructive: Bool
    /// Calling it again with the same params has no further effect.
    public var idempotent: Bool

    /// Hints as given.
    public init(readOnly: Bool, destructive: Bool, idempotent: Bool) {
        self.readOnly = readOnly
        self.destructive = destructive
        self.idempotent = idempotent
    }

    /// Reads only: changes nothing, so any number of calls is safe.
    public static let readOnly = MethodHints(readOnly: true, destructive: false, idempotent: true)
    /// Writes: each call is a new change (a new revision and audit entry).
    public static let write = MethodHints(readOnly: false, destructive: false, idempotent: false)
    /// Writes at most once: a repeated call returns what the first one created.
    public static let idempotentWrite = MethodHints(readOnly: false, destructive: false, idempotent: true)
    /// Removes data (a delete, a merge's sources, a label): still audited and undoable.
    public static let destructive = MethodHints(readOnly: false, destructive: true, idempotent: false)
}
