#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Atomics
import WixContacts

/// A counter that every process writing the database bumps after each commit, kept in a small
/// memory-mapped side file next to it (`<database>-epoch`).
///
/// It lets a process tell, with one atomic load and no SQLite read, whether anybody else has
/// committed since it last looked: then the contacts it committed itself are still the latest,
/// and `contacts.get` can answer from memory. Each process bumps the counter after its commit
/// and before it acknowledges the change, so a change another process has acknowledged is
/// always visible in the counter.
final class CommitEpoch: @unchecked Sendable {
    private let mapping: UnsafeMutableRawPointer
    private let counter: UnsafeAtomic<UInt64>

    /// Opens (creating if needed) the side file of the database at `databasePath`, with the
    /// database file's permissions, so every process that may write the database may bump it.
    ///
    /// - Throws: `INTERNAL` when the side file cannot be created or mapped: a process that
    ///   could not bump the counter would let the others answer from stale memory.
    init(databasePath: String) throws(ContactsError) {
        let path = databasePath + "-epoch"
        var databaseStatus = stat()
        let mode = stat(databasePath, &databaseStatus) == 0 ? mode_t(databaseStatus.st_mode & 0o777) : 0o644
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw Self.failure("open", path) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Self.failure("stat", path) }
        if status.st_size < 8 {
            // Only a new file is this short; growing it to 8 bytes fills it with zeros.
            guard ftruncate(descriptor, 8) == 0 else { throw Self.failure("size", path) }
            _ = fchmod(descriptor, mode)
        }
        guard
            let address = mmap(nil, 8, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0),
            address != MAP_FAILED
        else { throw Self.failure("map", path) }
        mapping = address
        counter = UnsafeAtomic(at: address.bindMemory(to: UInt64.AtomicRepresentation.self, capacity: 1))
    }

    deinit {
        munmap(mapping, 8)
    }

    /// The counter now.
    func current() -> UInt64 {
        counter.load(ordering: .acquiring)
    }

    /// Bumps the counter after a commit; returns its value before.
    func bump() -> UInt64 {
        counter.loadThenWrappingIncrement(ordering: .acquiringAndReleasing)
    }

    private static func failure(_ step: String, _ path: String) -> ContactsError {
        ContactsError(
            .internalError, message: "Could not \(step) the commit counter file next to the database (errno \(errno)).",
            details: ["path": .string(path)])
    }
}
