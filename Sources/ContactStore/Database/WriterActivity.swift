#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a store's one writer has done since the store opened: the writes it ran, the
/// transactions they shared, the time it spent on them, the log syncs that made them durable,
/// and where the writes' own time went on the way (`gateway.status` reports it).
///
/// Every write of the embedded store goes through that one writer, so it bounds how many writes
/// a second the store can take. Two readings of a running process, a while apart, tell how busy
/// it was in between (``busySeconds`` over the wall time) and what a write cost it
/// (``cpuSeconds`` over ``writes``): figures a throughput run cannot give on a machine whose
/// speed drifts by more than most changes move it. The phases (``queuedSeconds`` to
/// ``resumingSeconds``) split a write's latency after it was planned, so a slow answer shows
/// whether it waited for the writer, the disk or a thread.
public struct WriterActivity: Sendable, Equatable {
    /// Writes run, failed ones included.
    public var writes = 0
    /// Transactions they ran in: a group commit is one, even when its writes ran again with a
    /// savepoint each after one of them failed.
    public var transactions = 0
    /// Wall-clock seconds the writer spent running transactions, without the time it waited for
    /// more writes while the previous commit's sync ran.
    public var busySeconds = 0.0
    /// CPU seconds the writer's thread used meanwhile (user and system).
    public var cpuSeconds = 0.0
    /// Syncs of the write-ahead log that commits left to the log syncer's thread (durable
    /// commits only; each covers every commit before it), run beside the writer's next
    /// transaction.
    public var syncs = 0
    /// Wall-clock seconds those syncs took.
    public var syncSeconds = 0.0
    /// Checkpoints the writer ran itself right after a commit: mostly the catch-ups that copy
    /// the log's last pages and sync the database file so that the log can start again (the
    /// background checkpointer copies the rest). Each runs once the commit's writes are
    /// answered; every write waiting for the writer waits for it.
    public var checkpoints = 0
    /// Wall-clock seconds those checkpoints took (inside ``busySeconds``).
    public var checkpointSeconds = 0.0

    // Where a write's time went, from being handed to the writer to its caller running again:
    // each phase's seconds summed over the writes (divide by ``writes`` for a write's mean).

    /// Seconds writes waited for the writer: from being handed to it until it took them into a
    /// transaction (the one before was still running, or committing).
    public var queuedSeconds = 0.0
    /// Seconds writes spent in their transaction: from being taken into it until it committed
    /// (or failed), the writes after them and the commit included.
    public var transactionSeconds = 0.0
    /// Seconds writes waited after their commit for the log sync that made it durable (on the
    /// syncer's thread; nothing when the commit synced in place or is not durable).
    public var awaitingSyncSeconds = 0.0
    /// Seconds writes waited after being answered until the task that made them ran again: the
    /// wait for a thread of the concurrency pool.
    public var resumingSeconds = 0.0

    /// Nothing done yet.
    public init() {}
}

/// The clocks a transaction of the writer is timed with.
struct WriterClock {
    /// Nanoseconds of wall-clock time, from an arbitrary start.
    static func wall() -> UInt64 { read(CLOCK_MONOTONIC) }

    /// Nanoseconds of CPU time the calling thread has used.
    static func threadCPU() -> UInt64 { read(CLOCK_THREAD_CPUTIME_ID) }

    private static func read(_ clock: clockid_t) -> UInt64 {
        var time = timespec()
        guard clock_gettime(clock, &time) == 0 else { return 0 }
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
