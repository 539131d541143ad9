import Foundation
import JSONCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real `contacts-gateway` binary, spawned over real pipes.
///
/// Every wait has a deadline: reads come from background threads into ``OutputBuffer``s, writes
/// go through a non-blocking descriptor and `poll`, and a process that does not exit in time is
/// killed with SIGKILL. A test can fail, never hang.
final class GatewayProcess: @unchecked Sendable {
    /// How a process ended.
    struct Termination: Equatable, CustomStringConvertible {
        /// The exit status, when it exited.
        var exitCode: Int32?
        /// The signal, when one killed it.
        var signal: Int32?
        var description: String { exitCode.map { "exit \($0)" } ?? "signal \(signal ?? 0)" }
    }

    let pid: pid_t
    let stdout = OutputBuffer()
    let stderr = OutputBuffer()
    private var stdinFD: Int32
    private var termination: Termination?

    /// Spawns the binary with `arguments`. `WIX_*` and `CONTACTS_GATEWAY_*` variables of the test
    /// runner are dropped so that the local backend and the given `--db` are used.
    init(executable: String = "contacts-gateway", arguments: [String], environment: [String: String] = [:]) throws {
        signal(SIGPIPE, SIG_IGN)  // a dead child must fail the test, not kill the runner
        let binary = try Self.binaryPath(executable)
        Self.spawnLock.lock()
        defer { Self.spawnLock.unlock() }
        let input = try Self.makePipe(), output = try Self.makePipe(), errors = try Self.makePipe()

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input.read, 0)
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errors.write, 2)

        // The child starts with no blocked signals and default SIGPIPE/SIGTERM/SIGINT handling,
        // whatever the runner's thread had.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), defaults = sigset_t()
        sigemptyset(&empty)
        sigemptyset(&defaults)
        for number in [SIGPIPE, SIGTERM, SIGINT] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var variables = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("WIX_") && !$0.key.hasPrefix("CONTACTS_GATEWAY_")
        }
        variables.merge(environment) { $1 }
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var pid: pid_t = 0
        let status = posix_spawn(&pid, binary, &actions, &attributes, argv, envp)
        for fd in [input.read, output.write, errors.write] { close(fd) }
        guard status == 0 else {
            for fd in [input.write, output.read, errors.read] { close(fd) }
            throw GatewayTestError("posix_spawn \(binary) failed: \(String(cString: strerror(status)))")
        }
        self.pid = pid
        self.stdinFD = input.write
        _ = fcntl(input.write, F_SETFL, fcntl(input.write, F_GETFL) | O_NONBLOCK)
        stdout.startReading(from: output.read)
        stderr.startReading(from: errors.read)
    }

    /// `serve` on a database in `sandbox`, logging at `info` (one startup line on stderr).
    static func serve(in sandbox: Sandbox, _ extraArguments: [String] = []) throws -> GatewayProcess {
        try GatewayProcess(arguments: ["--db", sandbox.databasePath] + extraArguments)
    }

    deinit {
        if termination == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        if stdinFD >= 0 { close(stdinFD) }
    }

    // MARK: - Input

    /// Writes `bytes` to the child's stdin within `timeout` seconds.
    func write(_ bytes: [UInt8], timeout: Double = 15) throws {
        guard stdinFD >= 0 else { throw GatewayTestError("stdin is already closed") }
        let deadline = Date().addingTimeInterval(timeout)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { systemWrite(stdinFD, $0.baseAddress, $0.count) }
            if written > 0 {
                offset += written
                continue
            }
            guard written < 0, errno == EAGAIN || errno == EINTR else {
                throw GatewayTestError("writing to the gateway failed: \(String(cString: strerror(errno)))")
            }
            let remaining = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            guard remaining > 0 else { throw GatewayTestError("timed out writing \(bytes.count) bytes to stdin") }
            var descriptor = pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)
            _ = poll(&descriptor, 1, remaining)
        }
    }

    /// Writes one line (a `\n` is appended).
    func send(_ line: String, timeout: Double = 15) throws {
        try write(Array((line + "\n").utf8), timeout: timeout)
    }

    /// Writes one JSON value as a line.
    func send(_ message: JSONValue) throws {
        try send(message.serializedString())
    }

    /// Closes stdin: end of input for the gateway.
    func closeInput() {
        if stdinFD >= 0 { close(stdinFD) }
        stdinFD = -1
    }

    // MARK: - Output

    /// The next stdout line, parsed.
    func nextMessage(timeout: Double = 15) throws -> JSONValue {
        let line = try stdout.nextLine(timeout: timeout)
        do { return try JSONValue.parse(line) } catch {
            throw GatewayTestError("stdout line is not JSON (\(error)): \(line)")
        }
    }

    /// The next `count` stdout lines, parsed.
    func nextMessages(_ count: Int, timeout: Double = 30) throws -> [JSONValue] {
        let deadline = Date().addingTimeInterval(timeout)
        return try (0..<count).map { _ in try nextMessage(timeout: max(0.001, deadline.timeIntervalSinceNow)) }
    }

    // MARK: - Ending

    /// Sends a signal to the child.
    func deliver(signal number: Int32) {
        kill(pid, number)
    }

    /// Waits for the child to exit; kills it with SIGKILL and throws after `timeout` seconds.
    @discardableResult
    func waitForExit(timeout: Double = 15) throws -> Termination {
        if let termination { return termination }
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { break }
            if result < 0 && errno != EINTR { throw GatewayTestError("waitpid failed: \(errno)") }
            if Date() >= deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                termination = Termination(exitCode: nil, signal: SIGKILL)
                throw GatewayTestError("the gateway did not exit within \(timeout) s; killed. stderr: \(stderr.text)")
            }
            usleep(5_000)  // a child process has no descriptor to wait on portably; 5 ms polling is cheap
        }
        let signalNumber = status & 0x7f
        let ended =
            signalNumber == 0
            ? Termination(exitCode: (status >> 8) & 0xff, signal: nil)
            : Termination(exitCode: nil, signal: signalNumber)
        termination = ended
        return ended
    }

    /// Closes stdin, waits for exit and for both streams to reach end of file.
    @discardableResult
    func finish(timeout: Double = 30) throws -> Termination {
        closeInput()
        let ended = try waitForExit(timeout: timeout)
        try stdout.waitForEndOfFile(timeout: 5)
        try stderr.waitForEndOfFile(timeout: 5)
        return ended
    }

    // MARK: - Spawning

    /// Held from creating the pipes to spawning, so no child inherits another test's pipe ends.
    private static let spawnLock = NSLock()

    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw GatewayTestError("pipe failed: \(errno)") }
        // Close-on-exec, so a child spawned by a parallel test never holds our ends open (the
        // spawn lock keeps other spawns out until this is set; Glibc does not export pipe2).
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    /// `executable` from the directory of the test bundle; `contacts-gateway` also from
    /// `$CONTACTS_GATEWAY_BINARY`.
    static func binaryPath(_ executable: String = "contacts-gateway") throws -> String {
        var directories = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        directories += Bundle.allBundles.map(\.bundleURL).filter { $0.pathExtension == "xctest" }
            .map { $0.deletingLastPathComponent() }
        directories.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for directory in directories {
            let candidate = directory.appendingPathComponent(executable).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        if executable == "contacts-gateway", let path = ProcessInfo.processInfo.environment["CONTACTS_GATEWAY_BINARY"],
            FileManager.default.isExecutableFile(atPath: path)
        {
            return path
        }
        throw GatewayTestError(
            "\(executable) not found next to the test bundle (\(directories.map(\.path))); set CONTACTS_GATEWAY_BINARY"
        )
    }
}

#if canImport(Glibc)
    private let systemWrite = Glibc.write
#else
    private let systemWrite = Darwin.write
#endif

/// A test failure with a readable message.
struct GatewayTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
