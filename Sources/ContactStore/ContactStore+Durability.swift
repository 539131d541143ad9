import Atomics

/// One answer's view of durability: whether the request it answers wrote through the group
/// commit, whose writes are answered only once durable (and with them whatever the request read
/// before them).
///
/// A front end runs each request through ``answer(waitingOn:_:)``, which sets one of these as
/// ``current`` and, when the request made no such write, waits for
/// ``ContactStore/waitUntilVisibleChangesAreDurable()`` before answering: what it read may
/// include a change committed but still being synced.
public final class AnswerDurability: Sendable {
    /// The request being handled on this task, if a front end tracks it.
    @TaskLocal public static var current: AnswerDurability?

    private let wrote = ManagedAtomic<Bool>(false)

    /// Nothing written yet.
    public init() {}

    /// Whether the request has had a write answered by the group commit (so once durable).
    public var madeDurableWrite: Bool { wrote.load(ordering: .relaxed) }

    /// Records such a write.
    func noteDurableWrite() {
        wrote.store(true, ordering: .relaxed)
    }

    /// Runs `body` as the handling of one request and returns (or throws) what it did, after
    /// waiting with `barrier` unless the request made a durable write. Without a barrier (a
    /// backend whose changes are durable before they are readable) it only runs `body`.
    public static func answer<T>(
        waitingOn barrier: (@Sendable () async -> Void)?, _ body: () async throws -> T
    ) async throws -> T {
        guard let barrier else { return try await body() }
        let durability = AnswerDurability()
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await $current.withValue(durability) { try await body() })
        } catch {
            outcome = .failure(error)
        }
        if !durability.madeDurableWrite { await barrier() }
        return try outcome.get()
    }
}

extension ContactStore {
    /// Returns once every change this process has committed so far is durable.
    ///
    /// A commit is visible to readers up to one log sync before it is durable (the group commit
    /// syncs on its own thread while the next transaction runs). An answer built from a read,
    /// rather than from a write of its own, waits for this first, so that no answer shows a
    /// change a power loss could still undo. Returns at once when nothing is being synced.
    public func waitUntilVisibleChangesAreDurable() async {
        let syncer = committer.syncer
        await syncer.waitUntilDurable(through: syncer.publishedCommits)
    }

    /// Whether every change this process has committed so far is durable.
    public var visibleChangesAreDurable: Bool {
        let syncer = committer.syncer
        return syncer.isDurable(through: syncer.publishedCommits)
    }
}
