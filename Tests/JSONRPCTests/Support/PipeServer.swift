import Foundation
import JSONCore
import JSONRPC
import Logging

/// A ``StdioServer`` running in-process on two real pipes: the test writes requests into one
/// and reads response lines from the other, every wait bounded by a deadline.
final class PipeServer: @unchecked Sendable {
    /// The test's end of the input pipe (non-blocking, so writes can honour a deadline).
    private let inputWrite: Int32
    private let inputRead: Int32
    /// The test's end of the output pipe.
    private let outputRead: Int32
    private let outputWrite: Int32
    private let runTask: Task<StopReason, Never>

    private let lock = NSLock()
    private var leftover: [UInt8] = []
    private var closed: Set<Int32> = []

    init(
        handler: some RPCMethodHandler,
        maxLineBytes: Int = 8 << 20,
        maxInFlight: Int = 256,
        handlesSignals: Bool = false,
        cancelNotifications: [CancelNotification] = [.cancelRequest]
    ) {
        var input: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        precondition(pipe(&input) == 0 && pipe(&output) == 0, "pipe() failed")
        inputRead = input[0]
        inputWrite = input[1]
        outputRead = output[0]
        outputWrite = output[1]
        _ = fcntl(inputWrite, F_SETFL, fcntl(inputWrite, F_GETFL) | O_NONBLOCK)
        _ = fcntl(outputRead, F_SETFL, fcntl(outputRead, F_GETFL) | O_NONBLOCK)
        let configuration = ServerConfiguration(
            inputFD: inputRead,
            outputFD: outputWrite,
            maxLineBytes: maxLineBytes,
            maxInFlight: maxInFlight,
            handlesSignals: handlesSignals,
            cancelNotifications: cancelNotifications
        )
        let server = StdioServer(
            configuration: configuration,
            handler: handler,
            logger: Logger(label: "jsonrpc-tests", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        runTask = Task { await server.run() }
    }

    deinit {
        for fd in [inputWrite, inputRead, outputRead, outputWrite] { closeOnce(fd) }
    }

    // MARK: - Input

    /// Writes `text` to the server's input.
    func send(_ text: String, within seconds: Double = 20) async throws {
        try await send(Array(text.utf8), within: seconds)
    }

    /// Writes `bytes` to the server's input, on a thread, waiting with `poll` when the pipe is full.
    func send(_ bytes: [UInt8], within seconds: Double = 20) async throws {
        let fd = inputWrite
        let written = await onThread {
            let deadline = Date().addingTimeInterval(seconds)
            var offset = 0
            while offset < bytes.count {
                let count = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    offset += count
                    continue
                }
                guard count < 0, errno == EAGAIN || errno == EINTR else { return false }
                let remaining = deadline.timeIntervalSinceNow
                guard remaining > 0 else { return false }
                var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&descriptor, 1, Int32(remaining * 1000) + 1)
            }
            return true
        }
        if !written { throw DeadlineExceeded(what: "the server to accept \(bytes.count) bytes of input") }
    }

    /// Closes the input: the server sees end of file.
    func closeInput() {
        closeOnce(inputWrite)
    }

    /// Closes the test's end of the output: the server's next write fails with EPIPE.
    func closeOutputReader() {
        closeOnce(outputRead)
    }

    // MARK: - Output

    /// Reads exactly `count` response lines.
    func readLines(_ count: Int, within seconds: Double = 20) async throws -> [String] {
        try await read(until: count, within: seconds)
    }

    /// Sends `input` (while already reading, so a large exchange cannot fill both pipes), closes
    /// the input, waits for `run()` to return, and reads every remaining line up to the end of
    /// the output.
    func finish(sending input: String = "", within seconds: Double = 30) async throws -> (
        reason: StopReason, lines: [String]
    ) {
        try await finish(sending: Array(input.utf8), within: seconds)
    }

    /// ``finish(sending:within:)`` with bytes.
    func finish(sending input: [UInt8], within seconds: Double = 30) async throws -> (
        reason: StopReason, lines: [String]
    ) {
        async let lines = read(until: nil, within: seconds)
        if !input.isEmpty { try await send(input, within: seconds) }
        closeInput()
        let reason = try await stopReason(within: seconds)
        // The server never closes its output descriptor; the owner does, once run() returned.
        closeOnce(outputWrite)
        return (reason, try await lines)
    }

    /// Waits for `run()` to return.
    func stopReason(within seconds: Double = 30) async throws -> StopReason {
        let task = runTask
        return try await withDeadline(seconds, "run() to return") { await task.value }
    }

    /// Reads lines until `count` arrived, or until end of output when `count` is nil.
    private func read(until count: Int?, within seconds: Double) async throws -> [String] {
        let result: Result<[String], DeadlineExceeded> = await onThread { [self] in
            let deadline = Date().addingTimeInterval(seconds)
            var lines: [String] = []
            var chunk = [UInt8](repeating: 0, count: 64 << 10)
            lock.lock()
            var buffer = leftover
            leftover = []
            lock.unlock()
            defer {
                lock.lock()
                leftover = buffer
                lock.unlock()
            }
            while true {
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")), lines.count != count {
                    lines.append(String(decoding: buffer[..<newline], as: UTF8.self))
                    buffer.removeSubrange(...newline)
                }
                if let count, lines.count == count { return .success(lines) }
                let remaining = deadline.timeIntervalSinceNow
                guard remaining > 0 else {
                    return .failure(
                        DeadlineExceeded(what: "\(count.map(String.init) ?? "all") lines, got \(lines.count)"))
                }
                var descriptor = pollfd(fd: outputRead, events: Int16(POLLIN), revents: 0)
                _ = poll(&descriptor, 1, Int32(remaining * 1000) + 1)
                let n = chunk.withUnsafeMutableBytes { Glibc.read(outputRead, $0.baseAddress, $0.count) }
                if n > 0 {
                    buffer.append(contentsOf: chunk[0..<n])
                } else if n == 0 {
                    if !buffer.isEmpty { lines.append(String(decoding: buffer, as: UTF8.self)) }
                    buffer = []
                    if count == nil { return .success(lines) }
                    return .failure(DeadlineExceeded(what: "\(count!) lines before end of output, got \(lines.count)"))
                }
            }
        }
        return try result.get()
    }

    private func closeOnce(_ fd: Int32) {
        lock.lock()
        defer { lock.unlock() }
        guard !closed.contains(fd) else { return }
        closed.insert(fd)
        close(fd)
    }
}
