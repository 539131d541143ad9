#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pipe the reader thread polls beside its input, so a signal or a stop request can wake a
/// thread that is blocked in `poll(2)` without closing the input descriptor under it.
///
/// `wake()` and `close()` share a lock: a signal can arrive after the run ended, and writing to a
/// closed descriptor number could hit an unrelated file that reused it.
final class SelfPipe: @unchecked Sendable {
    /// The end the reader polls.
    let readFD: Int32
    private let writeFD: Int32
    private let mutex = PThreadMutex()
    private var isClosed = false

    init() {
        var fds: [Int32] = [-1, -1]
        let result = fds.withUnsafeMutableBufferPointer { pipe($0.baseAddress!) }
        precondition(result == 0, "Could not create the wake-up pipe (errno \(errno)).")
        readFD = fds[0]
        writeFD = fds[1]
        // Non-blocking both ways: a full pipe already means "wake up", and draining must stop when
        // empty. Close-on-exec so a handler that spawns a process does not leak them.
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
        }
    }

    /// Makes the read end readable; safe from any thread, never blocks.
    func wake() {
        mutex.lock()
        defer { mutex.unlock() }
        guard !isClosed else { return }
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }

    /// Empties the pipe so the next `poll` blocks again.
    func drain() {
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &buffer, { read(readFD, $0.baseAddress, $0.count) }) > 0 {}
    }

    /// Closes both ends, after the reader has stopped polling; later calls do nothing.
    func close() {
        mutex.lock()
        defer { mutex.unlock() }
        guard !isClosed else { return }
        isClosed = true
        #if canImport(Glibc)
            _ = Glibc.close(readFD)
            _ = Glibc.close(writeFD)
        #elseif canImport(Musl)
            _ = Musl.close(readFD)
            _ = Musl.close(writeFD)
        #else
            _ = Darwin.close(readFD)
            _ = Darwin.close(writeFD)
        #endif
    }
}
