import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A PostgreSQL cluster of its own for tests and benchmarks: `initdb` into a temporary
/// directory, `pg_ctl start` listening only on a Unix socket in that directory (no TCP port),
/// and `pg_ctl stop` plus removal at the end. As root (initdb and postgres refuse root), the
/// server runs as the `postgres` user, else `nobody`. Every step has a deadline.
///
/// ```swift
/// let cluster = try ThrowawayCluster.shared()      // one per test process, stopped at exit
/// let url = try cluster.createDatabase()           // postgres://gateway@/db_1?host=/tmp/cgpg-…
/// ```
public final class ThrowawayCluster: @unchecked Sendable {
    /// The directory holding the data, the log and the socket.
    public let directory: String
    /// The role every database belongs to (trust authentication on the socket).
    public let username = "gateway"
    private let binaries: String
    private let runAs: String?
    private let lock = NSLock()
    private var databases = 0
    private var stopped = false

    /// Starts a cluster.
    ///
    /// - Throws: ``ClusterError`` naming the step that failed and the server log's tail.
    public init() throws {
        binaries = try Self.findBinaries()
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("cgpg-XXXXXX").path
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { throw ClusterError("mkdtemp failed") }
        directory = String(cString: made)
        runAs = getuid() == 0 ? Self.serverUser() : nil
        do {
            if let runAs {
                try Self.run("/bin/chown", ["-R", runAs, directory], timeout: 10)
            }
            try run("initdb", ["-D", "\(directory)/data", "-U", username, "--auth=trust", "-E", "UTF8", "--no-sync"],
                timeout: 120)
            try startServer()
            try startWatchdog()
        } catch {
            let log = (try? String(contentsOfFile: "\(directory)/server.log", encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: directory)
            throw ClusterError("\(error) — server log: \(log.suffix(2000))")
        }
    }

    deinit { stop() }

    // MARK: - The shared cluster

    nonisolated(unsafe) private static var sharedCluster: ThrowawayCluster?
    private static let sharedLock = NSLock()

    /// The cluster of this process, started at first use and stopped when the process exits.
    public static func shared() throws -> ThrowawayCluster {
        sharedLock.lock()
        defer { sharedLock.unlock() }
        if let sharedCluster { return sharedCluster }
        let cluster = try ThrowawayCluster()
        sharedCluster = cluster
        atexit { ThrowawayCluster.stopShared() }
        return cluster
    }

    private static func stopShared() {
        sharedLock.lock()
        let cluster = sharedCluster
        sharedLock.unlock()
        cluster?.stop()
    }

    // MARK: - Using it

    /// A new, empty database; returns its URL (`postgres://gateway@/NAME?host=DIRECTORY`).
    public func createDatabase() throws -> String {
        let name: String = lock.withLock {
            databases += 1
            return "db_\(getpid())_\(databases)"
        }
        try Self.run("\(binaries)/createdb", ["-h", directory, "-U", username, name], timeout: 60)
        return url(database: name)
    }

    /// The URL of `database` in this cluster.
    public func url(database: String) -> String {
        "postgres://\(username)@/\(database)?host=\(directory)"
    }

    /// Runs SQL through `psql` (for tests that arrange what a store must cope with).
    @discardableResult
    public func psql(database: String, _ sql: String) throws -> String {
        try Self.run(
            "\(binaries)/psql", ["-h", directory, "-U", username, "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql],
            timeout: 60)
    }

    /// A shell that outlives this process by a second: when this process is gone however it
    /// ended (a crash, SIGKILL, an exit that skipped `atexit`), it stops the server and removes
    /// the directory, so no cluster is left running.
    private func startWatchdog() throws {
        let stop = (runAs.map { ["/usr/sbin/runuser", "-u", $0, "--"] } ?? []) + [
            "\(binaries)/pg_ctl", "-D", "\(directory)/data", "-m", "immediate", "-w", "-t", "30", "stop",
        ]
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done
            \(stop.map { "'\($0)'" }.joined(separator: " ")) >/dev/null 2>&1
            rm -rf '\(directory)'
            """
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        for fd in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap({ Int32($0) }) ?? []
        where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        let words: [String] = ["/bin/sh", "-c", script]
        let argv = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        guard status == 0 else { throw ClusterError("could not start the cluster's watchdog: \(status)") }
    }

    /// Starts the server (again): on the socket in ``directory`` only.
    public func startServer() throws {
        let options = "-k \(directory) -c listen_addresses='' -c fsync=off -c max_connections=200"
        try run(
            "pg_ctl", ["-D", "\(directory)/data", "-l", "\(directory)/server.log", "-o", options, "-w", "-t", "60", "start"],
            timeout: 90)
    }

    /// Stops the server, keeping its data, as if its machine went away.
    public func stopServer() throws {
        try run("pg_ctl", ["-D", "\(directory)/data", "-m", "immediate", "-w", "-t", "30", "stop"], timeout: 40)
    }

    /// Stops the server (fast shutdown) and removes the directory. Safe to call twice.
    public func stop() {
        let first: Bool = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        _ = try? run("pg_ctl", ["-D", "\(directory)/data", "-m", "fast", "-w", "-t", "30", "stop"], timeout: 40)
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: - Processes

    /// Runs a server binary as the server's user.
    @discardableResult
    private func run(_ tool: String, _ arguments: [String], timeout: TimeInterval) throws -> String {
        if let runAs {
            return try Self.run("/usr/sbin/runuser", ["-u", runAs, "--", "\(binaries)/\(tool)"] + arguments, timeout: timeout)
        }
        return try Self.run("\(binaries)/\(tool)", arguments, timeout: timeout)
    }

    /// Runs a program, failing when it exits non-zero or outlives `timeout` (then it is killed).
    ///
    /// Spawned and reaped directly (`posix_spawn`, `waitpid`) rather than through `Process`:
    /// `pg_ctl start` leaves the server running in the background holding descriptors it
    /// inherited, and Foundation's `Process` may wait for those to close.
    @discardableResult
    static func run(_ path: String, _ arguments: [String], timeout: TimeInterval) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("cgpg-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of this process (a test runner's pipes) stays open in the server.
        for fd in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap({ Int32($0) }) ?? []
        where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard status == 0 else { throw ClusterError("posix_spawn \(path) failed: \(String(cString: strerror(status)))") }
        let deadline = Date().addingTimeInterval(timeout)
        var exit: Int32 = 0
        while true {
            let result = waitpid(pid, &exit, WNOHANG)
            if result == pid { break }
            if result < 0 && errno != EINTR { throw ClusterError("waitpid failed: \(errno)") }
            if Date() >= deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &exit, 0)
                throw ClusterError("\((path as NSString).lastPathComponent) did not finish within \(Int(timeout)) s")
            }
            usleep(10_000)
        }
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard exit & 0x7f == 0, (exit >> 8) & 0xff == 0 else {
            throw ClusterError(
                "\((path as NSString).lastPathComponent) \(arguments.joined(separator: " ").prefix(200)) failed (status \(exit)): \(text.suffix(1500))")
        }
        return text
    }

    /// `PG_BIN`, else the newest `/usr/lib/postgresql/*/bin` (Debian's layout).
    private static func findBinaries() throws -> String {
        if let bin = ProcessInfo.processInfo.environment["PG_BIN"], !bin.isEmpty { return bin }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap { Int($0) }.sorted()
        for version in versions.reversed() where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        throw ClusterError(
            "PostgreSQL server binaries not found under \(root) (install the Debian package postgresql: scripts/setup.sh), or set PG_BIN."
        )
    }

    /// The user the server runs as under root: `postgres` when it exists, else `nobody`.
    private static func serverUser() -> String {
        getpwnam("postgres") != nil ? "postgres" : "nobody"
    }
}

/// A step of starting or using a ``ThrowawayCluster`` failed.
public struct ClusterError: Error, CustomStringConvertible {
    /// What failed.
    public let description: String
    init(_ description: String) { self.description = description }
}

// MARK: - From tasks

/// The same steps for async code: each blocks (it waits for a child process), so it runs on a
/// thread of its own; a test that blocked the cooperative pool (two threads on a 2-core
/// machine) would starve the tests running beside it.
extension ThrowawayCluster {
    /// ``shared()``, off the cooperative pool.
    public static func shared() async throws -> ThrowawayCluster {
        try await offThePool { try shared() }
    }

    /// A cluster of its own (stop it), off the cooperative pool.
    public static func start() async throws -> ThrowawayCluster {
        try await offThePool { try ThrowawayCluster() }
    }

    /// ``createDatabase()``, off the cooperative pool.
    public func createDatabase() async throws -> String {
        try await Self.offThePool { try self.createDatabase() }
    }

    /// ``psql(database:_:)``, off the cooperative pool.
    @discardableResult
    public func psql(database: String, _ sql: String) async throws -> String {
        try await Self.offThePool { try self.psql(database: database, sql) }
    }

    /// ``startServer()``, off the cooperative pool.
    public func startServer() async throws {
        try await Self.offThePool { try self.startServer() }
    }

    /// ``stop()``, off the cooperative pool.
    public func stop() async {
        _ = try? await Self.offThePool { self.stop() }
    }

    /// ``stopServer()``, off the cooperative pool.
    public func stopServer() async throws {
        try await Self.offThePool { try self.stopServer() }
    }

    /// The database name in a URL this cluster handed out.
    public static func databaseName(_ url: String) -> String {
        let path = url.split(separator: "?").first ?? ""
        return String(path.split(separator: "/").last ?? "")
    }

    private static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}

