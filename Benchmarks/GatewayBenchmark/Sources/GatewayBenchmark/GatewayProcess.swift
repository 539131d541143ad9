import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Monotonic nanoseconds.
@inline(__always) func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// One `contacts-gateway` child process with its stdin and stdout on pipes (posix_spawn, so
/// that spawn time is not hidden behind Foundation's `Process` machinery).
final class GatewayProcess {
    let pid: pid_t
    /// Our end of the child's stdin.
    private(set) var inputFD: Int32
    /// Our end of the child's stdout.
    let outputFD: Int32
    /// When `posix_spawn` was called.
    let spawnedAt: UInt64

    /// Spawns `binary serve --db db`, stderr going to `stderrPath`.
    init(binary: String, db: String, stderrPath: String) {
        var toChild: [Int32] = [0, 0]
        var fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else { fail("pipe failed") }
        // Close-on-exec, so that the child keeps only the ends dup2'd onto 0 and 1.
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        // Bigger pipe buffers mean fewer wake-ups on both sides (F_SETPIPE_SZ = 1031).
        _ = fcntl(toChild[1], 1031, 1 << 20)
        _ = fcntl(fromChild[1], 1031, 1 << 20)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        defer { posix_spawn_file_actions_destroy(&actions) }

        let arguments = [binary, "serve", "--db", db]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "WIX_API_KEY")  // always the local backend
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }

        var child: pid_t = 0
        spawnedAt = now()
        let status = posix_spawn(&child, binary, &actions, nil, argv, envp)
        guard status == 0 else { fail("posix_spawn \(binary): \(String(cString: strerror(status)))") }
        close(toChild[0])
        close(fromChild[1])
        pid = child
        inputFD = toChild[1]
        outputFD = fromChild[0]
    }

    /// Writes all of `bytes` to the child's stdin (blocking).
    func write(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(inputFD, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                fail("write to gateway stdin: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    func write(_ bytes: [UInt8]) { bytes.withUnsafeBytes { write($0) } }

    /// Closes stdin (the gateway then finishes in-flight work and exits) and waits for the exit.
    /// Returns the exit status (128 + signal when killed) and how long the exit took in ms.
    func closeAndWait() -> (status: Int32, milliseconds: Double) {
        let start = now()
        close(inputFD)
        inputFD = -1
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let elapsed = Double(now() - start) / 1e6
        let signal = status & 0x7f
        return (signal == 0 ? (status >> 8) & 0xff : 128 + signal, elapsed)
    }

    /// A `/proc/<pid>/status` field in kB (for example `VmHWM`, the peak resident set).
    func statusKB(_ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.dropFirst(field.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
        }
        return nil
    }

    /// CPU seconds (user + system) the gateway used so far.
    func cpuSeconds() -> Double { Self.cpuSeconds(statPath: "/proc/\(pid)/stat").total }

    /// Per-thread CPU seconds, busiest first, as `(name, seconds)` (a `top -H` snapshot). Names
    /// are the kernel's 15-character `comm`, with the thread id appended.
    func threadCPU() -> [(name: String, seconds: Double)] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.map { task in
            let stat = Self.cpuSeconds(statPath: "/proc/\(pid)/task/\(task)/stat")
            return (name: "\(stat.name)[\(task)]", seconds: stat.total)
        }.sorted { $0.seconds > $1.seconds }
    }

    /// Reads `comm`, `utime` and `stime` from a `/proc/.../stat` file.
    static func cpuSeconds(statPath: String) -> (name: String, total: Double) {
        guard let text = try? String(contentsOfFile: statPath, encoding: .utf8),
              let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")")
        else { return ("?", 0) }
        let name = String(text[text.index(after: open)..<close])
        let fields = text[text.index(close, offsetBy: 2)...].split(separator: " ")
        // After the comm: state is field 0, utime field 11, stime field 12.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return (name, 0) }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return (name, (user + system) / ticks)
    }
}

/// CPU seconds the benchmark process itself used so far.
func ownCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
