import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Everything a child writes to one pipe, read on a background thread until end of file, with
/// line reads that wait on a condition until a deadline.
final class OutputBuffer: @unchecked Sendable {
    private let condition = NSCondition()
    private var bytes: [UInt8] = []
    /// Where the next ``nextLine(timeout:)`` starts.
    private var lineStart = 0
    /// Where the search for the next `\n` resumes, so reading many lines stays linear.
    private var scanned = 0
    private var reachedEndOfFile = false

    /// Reads `fd` on a new thread until end of file, then closes it.
    func startReading(from fd: Int32) {
        let thread = Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 64 << 10)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                condition.lock()
                if count > 0 { bytes += chunk[0..<count] } else { reachedEndOfFile = true }
                condition.broadcast()
                condition.unlock()
                if count <= 0 { break }
            }
            close(fd)
        }
        thread.start()
    }

    /// The next complete line without its `\n`; throws at end of file or after `timeout` seconds.
    func nextLine(timeout: Double = 15) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let newline = bytes[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: bytes[lineStart..<newline], as: UTF8.self)
                lineStart = newline + 1
                scanned = lineStart
                return line
            }
            scanned = bytes.count
            if reachedEndOfFile {
                throw GatewayTestError("end of output while waiting for a line; unread: \(unreadText)")
            }
            guard condition.wait(until: deadline) else {
                throw GatewayTestError("no line within \(timeout) s; unread: \(unreadText)")
            }
        }
    }

    /// Waits until the pipe reached end of file.
    func waitForEndOfFile(timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !reachedEndOfFile {
            guard condition.wait(until: deadline) else {
                throw GatewayTestError("no end of output within \(timeout) s")
            }
        }
    }

    /// Complete lines not read yet (call after ``waitForEndOfFile(timeout:)``).
    func remainingLines() -> [String] {
        condition.lock()
        defer { condition.unlock() }
        let rest = bytes[lineStart...].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        lineStart = bytes.count
        scanned = bytes.count
        return rest.dropLast(rest.last?.isEmpty == true ? 1 : 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Everything received so far, as bytes.
    var allBytes: [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        return bytes
    }

    /// Everything received so far, as text.
    var text: String { String(decoding: allBytes, as: UTF8.self) }

    /// Bytes after the last line read (caller holds the lock), shortened for messages.
    private var unreadText: String {
        String(decoding: bytes[lineStart...].prefix(500), as: UTF8.self)
    }
}

/// A fresh temporary directory for one test, removed when the test is done with it.
final class Sandbox: @unchecked Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The gateway's database file in this directory.
    var databasePath: String { url.appendingPathComponent("contacts.sqlite").path }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
