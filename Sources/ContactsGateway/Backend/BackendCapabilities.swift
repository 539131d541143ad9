/// What a backend can do beyond the operations every backend has. The methods decide from
/// these, never from the backend's name, so a new backend says what it supports by what it
/// exposes.
///
/// ```swift
/// if dryRun && !backend.capabilities.supportsDryRun { throw InvalidParamsError(...) }
/// ```
public struct BackendCapabilities: Sendable {
    /// `contacts.update` and `contacts.undo` with `dryRun`: the would-be contact, computed
    /// without writing.
    public var supportsDryRun: Bool
    /// `contacts.create` with `member`: the contact is marked a site member.
    public var supportsMembers: Bool
    /// Reads a contact at once on the calling thread, when the backend can do so without
    /// waiting: `contacts.get` is then answered on a transport's reader thread.
    public var fastReader: (any FastContactReader)?
    /// Returns once every change the backend has made visible is durable; `nil` when a change
    /// is durable before anyone can read it. A method that answers from what it read, not from
    /// a write of its own, waits for it first (see ``ContactStore/AnswerDurability``).
    public var durabilityBarrier: (@Sendable () async -> Void)?

    /// Capabilities as given; by default none.
    public init(
        supportsDryRun: Bool = false, supportsMembers: Bool = false, fastReader: (any FastContactReader)? = nil,
        durabilityBarrier: (@Sendable () async -> Void)? = nil
    ) {
        self.supportsDryRun = supportsDryRun
        self.supportsMembers = supportsMembers
        self.fastReader = fastReader
        self.durabilityBarrier = durabilityBarrier
    }
}
