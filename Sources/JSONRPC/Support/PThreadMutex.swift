#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - Mutex

/// A pthread mutex for the server's dedicated threads.
///
/// Why not `Synchronization.Mutex`: it needs macOS 15 (the package supports 14) and it cannot be
/// paired with a condition variable, which the reader and writer threads need in order to block
/// without spinning or sleeping.
final class PThreadMutex: @unchecked Sendable {
    fileprivate let pointer: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: pthread_mutex_t())
        let result = pthread_mutex_init(pointer, nil)
        precondition(result == 0, "pthread_mutex_init failed: \(result)")
    }

    deinit {
        pthread_mutex_destroy(pointer)
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }

    func lock() {
        pthread_mutex_lock(pointer)
    }

    func unlock() {
        pthread_mutex_unlock(pointer)
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}

// MARK: - Condition

/// A pthread condition variable used with a ``PThreadMutex``.
final class PThreadCondition: @unchecked Sendable {
    private let pointer: UnsafeMutablePointer<pthread_cond_t>

    init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: pthread_cond_t())
        let result = pthread_cond_init(pointer, nil)
        precondition(result == 0, "pthread_cond_init failed: \(result)")
    }

    deinit {
        pthread_cond_destroy(pointer)
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }

    /// Atomically releases `mutex` and blocks until signalled; the caller must hold `mutex` and
    /// re-check its predicate afterwards (wake-ups may be spurious).
    func wait(_ mutex: PThreadMutex) {
        pthread_cond_wait(pointer, mutex.pointer)
    }

    func signal() {
        pthread_cond_signal(pointer)
    }

    func broadcast() {
        pthread_cond_broadcast(pointer)
    }
}
