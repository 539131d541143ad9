#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Logging

/// The only writer of the output descriptor: producers append finished response bytes to a
/// shared buffer, and a dedicated thread writes whatever has piled up with as few `write(2)`
/// calls as possible. Under load many responses leave in one system call.
///
/// The reader thread, which answers most gets itself, queues its answers without waking the
/// writer thread and wakes it once it has handled what one `read(2)` brought (or 16 KB of
/// answers have piled up): woken at the first of them, the writer thread took the core from the
/// reader, wrote that one line, and often blocked on the mutex the reader held. Answers from
/// request tasks wake it at once: holding them for the reader made the mix slower.
final class OutputWriter: @unchecked Sendable {
    private let fd: Int32
    private let logger: Logger
    /// Above this many pending bytes the reader waits before reading more, so a peer that does
    /// not read its output cannot make the server buffer without limit.
    private let highWaterMark: Int

    // MARK: State guarded by `mutex`
    //
    // `@exclusivity(unchecked)`: Swift's run-time check only catches overlapping accesses on one
    // thread, and no access here calls out while it lasts; `mutex` orders the threads.

    private let mutex = PThreadMutex()
    private let dataAvailable = PThreadCondition()
    private let spaceAvailable = PThreadCondition()
    private let drained = PThreadCondition()
    @exclusivity(unchecked) private var pending: [UInt8] = []
    @exclusivity(unchecked) private var writerIdle = false
    @exclusivity(unchecked) private var finishing = false
    @exclusivity(unchecked) private var finished = false
    @exclusivity(unchecked) private var closed = false
    @exclusivity(unchecked) private var spaceWaitersReleased = false

    init(fd: Int32, logger: Logger, highWaterMark: Int = 1 << 20) {
        self.fd = fd
        self.logger = logger
        self.highWaterMark = highWaterMark
        pending.reserveCapacity(64 << 10)
    }

    // MARK: - Producers

    /// Starts the writer thread. `onClose` runs on it once if the output fails (EPIPE included).
    func start(onClose: @escaping @Sendable () -> Void) {
        NativeThread.start(name: "jsonrpc-writer") { [self] in
            writeLoop(onClose: onClose)
        }
    }

    /// Queues bytes for writing; dropped silently once the output is closed.
    ///
    /// - Parameter wakingWriter: `false` leaves the writer thread asleep unless
    ///   ``heldBytesWorthAWrite`` are pending, for the reader thread, which answers many requests
    ///   of one read in a row and then calls ``wakeIfPending()`` once.
    func enqueue(_ bytes: [UInt8], wakingWriter: Bool = true) {
        mutex.lock()
        if !closed {
            pending.append(contentsOf: bytes)
            if writerIdle && (wakingWriter || pending.count >= Self.heldBytesWorthAWrite) {
                writerIdle = false
                dataAvailable.signal()
            }
        }
        mutex.unlock()
    }

    /// Queued bytes that wake the writer thread even when their producer asked not to: a long
    /// run of answers (about a dozen contacts) need not wait for the rest of the read to be
    /// handled before the peer can start on them.
    static var heldBytesWorthAWrite: Int { 16 << 10 }

    /// Wakes the writer thread for bytes queued without waking it. Call before the thread that
    /// queued them blocks or moves on to other input.
    func wakeIfPending() {
        mutex.lock()
        if writerIdle && !pending.isEmpty {
            writerIdle = false
            dataAvailable.signal()
        }
        mutex.unlock()
    }

    /// Blocks the calling (reader) thread while too much output is pending.
    func waitForSpace() {
        mutex.lock()
        while pending.count >= highWaterMark && !closed && !spaceWaitersReleased {
            spaceAvailable.wait(mutex)
        }
        mutex.unlock()
    }

    /// Stops ``waitForSpace()`` from blocking, for a stop request.
    func releaseSpaceWaiters() {
        mutex.lock()
        spaceWaitersReleased = true
        spaceAvailable.broadcast()
        mutex.unlock()
    }

    /// Writes everything queued so far, stops the thread and returns whether all of it reached
    /// the output. Call once, after the last ``enqueue(_:)``.
    func finish() -> Bool {
        mutex.lock()
        finishing = true
        dataAvailable.signal()
        while !finished { drained.wait(mutex) }
        let succeeded = !closed
        mutex.unlock()
        return succeeded
    }

    // MARK: - Writer thread

    private func writeLoop(onClose: @Sendable () -> Void) {
        var batch: [UInt8] = []
        batch.reserveCapacity(64 << 10)
        while true {
            mutex.lock()
            while pending.isEmpty && !finishing {
                writerIdle = true
                dataAvailable.wait(mutex)
            }
            writerIdle = false
            if pending.isEmpty {
                finished = true
                drained.broadcast()
                mutex.unlock()
                return
            }
            // Swap rather than copy: producers keep appending to the old `batch` storage.
            swap(&pending, &batch)
            spaceAvailable.broadcast()
            let alreadyClosed = closed
            mutex.unlock()

            if !alreadyClosed && !writeAll(batch) {
                mutex.lock()
                closed = true
                pending = []
                spaceAvailable.broadcast()
                mutex.unlock()
                onClose()
            }
            if batch.capacity > 4 << 20 {
                batch = []
                batch.reserveCapacity(64 << 10)
            } else {
                batch.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Writes all of `bytes`, across partial writes and interruptions; `false` when the output
    /// is gone.
    private func writeAll(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written >= 0 {
                    offset += written
                    continue
                }
                switch errno {
                case EINTR:
                    continue
                case EAGAIN, EWOULDBLOCK:
                    // Someone handed us a non-blocking descriptor: wait until it drains.
                    var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&descriptor, 1, -1)
                case EPIPE:
                    logger.debug("The output was closed by the peer.")
                    return false
                case let code:
                    logger.error("Writing a response failed.", metadata: ["errno": "\(code)"])
                    return false
                }
            }
            return true
        }
    }
}
