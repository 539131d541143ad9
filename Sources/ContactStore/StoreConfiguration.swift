public import Foundation

/// How a ``ContactStore`` opens its database and stamps its writes.
public struct StoreConfiguration: Sendable {
    /// Milliseconds since 1970 for `createdDate` / `updatedDate`; injected so tests control time.
    public var clock: @Sendable () -> Int64
    /// New contact and item ids.
    public var makeID: @Sendable () -> String
    /// `synchronous=FULL` (the default): an acknowledged write survives power loss, not only a crash.
    public var durableCommits: Bool
    /// How long a write waits for another process holding the database lock.
    public var busyTimeout: TimeInterval
    /// Readers the pool may open at once.
    public var maximumReaders: Int
    /// Write-ahead log pages after which a background checkpoint copies them into the database
    /// file. SQLite's default is 1,000; 8,000 (about 32 MB) held more rewrites of the same hot
    /// pages, each copied back once, which measured about 40 % less checkpoint CPU in the mix
    /// benchmark; 16,000 (about 64 MB) halves the writer's catch-ups, each of which stalls every
    /// queued write for ~1.7 ms, which took 0.2–0.4 ms off the mix's p99 (Benchmarks/README.md,
    /// session 28), at the price of a log file up to twice as large and a longer checkpoint on
    /// close.
    public var checkpointPages: Int32
    /// Syncs the write-ahead log after commits that left it their sync (durable commits only):
    /// given the log's descriptor, returns 0 or an `errno`. `nil`, the default, is
    /// `fdatasync` (`fsync` on Apple platforms); tests inject a slow or failing sync here.
    public var logSync: (@Sendable (_ descriptor: Int32) -> Int32)?

    /// The defaults: wall clock, random UUIDs, durable commits, 10 s busy timeout, a checkpoint
    /// every 16,000 log pages.
    public init(
        clock: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) },
        makeID: @escaping @Sendable () -> String = { RandomUUID.lowercased() },
        durableCommits: Bool = true,
        busyTimeout: TimeInterval = 10,
        maximumReaders: Int = 4,
        checkpointPages: Int32 = 16000
    ) {
        self.clock = clock
        self.makeID = makeID
        self.durableCommits = durableCommits
        self.busyTimeout = busyTimeout
        self.maximumReaders = maximumReaders
        self.checkpointPages = checkpointPages
    }
}
