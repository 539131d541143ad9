import Foundation

/// A spawned gateway with its reader thread and driver, checked alive with `gateway.status`.
final class GatewaySession {
    let gateway: GatewayProcess
    let queue = ResponseQueue()
    let driver: Driver
    /// From `posix_spawn` to the `gateway.status` reply, which was written right after it.
    let spawnMs: Double
    let logPath: String

    init(binary: String, db: String, log: String) {
        logPath = log
        gateway = GatewayProcess(binary: binary, db: db, stderrPath: log)
        startReader(fd: gateway.outputFD, queue: queue)
        driver = Driver(gateway: gateway, queue: queue)
        let status = FixedWorkload(bodies: [#","method":"gateway.status"}"#], keepResponses: true)
        driver.run(status, count: 1, inFlight: 1)
        guard let reply = status.responses[0], reply.errorCode == 0 else {
            fail("gateway.status failed; see \(log)")
        }
        spawnMs = Double(reply.receivedAt - gateway.spawnedAt) / 1e6
    }

    /// What `gateway.status` says the gateway's writer has done so far (`nil`: it says nothing).
    func writerReading() -> WriterReading? {
        let status = FixedWorkload(bodies: [#","method":"gateway.status"}"#], keepResponses: true)
        queue.setCaptureContactIDs(true)
        driver.run(status, count: 1, inFlight: 1)
        queue.setCaptureContactIDs(false)
        return status.responses[0]?.writer
    }

    /// Creates `count` contacts, pipelined; returns their ids in order and the time taken.
    func createContacts(_ count: Int, inFlight: Int, tag: String) -> (ids: [String], seconds: Double) {
        let bodies = (0..<count).map { index in
            let phone = String(format: "646-555-%04d", index % 10_000)
            return #","method":"contacts.create","params":{"allowDuplicates":true,"info":{"#
                + #""name":{"first":"Bench","last":"Contact \#(index)"},"#
                + #""emails":{"items":[{"email":"\#(tag)-\#(index)@example.com","tag":"WORK"}]},"#
                + #""phones":{"items":[{"phone":"\#(phone)","countryCode":"US","tag":"MOBILE"}]},"#
                + #""company":"Acme","jobTitle":"Engineer"}}}"#
        }
        let workload = FixedWorkload(bodies: bodies, keepResponses: true)
        queue.setCaptureContactIDs(true)
        let window = driver.run(workload, count: count, inFlight: inFlight)
        queue.setCaptureContactIDs(false)
        let ids = workload.responses.map { response -> String in
            guard let response, response.errorCode == 0, let id = response.contactId else {
                fail("contacts.create failed (code \(response?.errorCode ?? 0)); see \(logPath)")
            }
            return id
        }
        return (ids, Double(window.end - window.start) / 1e9)
    }
}

/// One measured phase: how long it took, what it cost the gateway, and how the cores were used.
struct MeasuredRun {
    let seconds: Double
    /// The gateway's CPU per request: it drifts far less with the machine's speed than
    /// throughput does.
    let cpuPerRequestMicros: Double
    let cores: (json: JSON, text: String)
    /// Lines whose id belonged to no running request, and lines that were not responses.
    let unexpected: Int
    /// What the gateway's one writer did during the phase, from `gateway.status` before and after.
    let writer: (json: JSON, text: String)
}

extension GatewaySession {
    /// Drives `count` requests of `workload`, `inFlight` at a time, and measures the phase.
    func measure(_ workload: Workload, count: Int, inFlight: Int) -> MeasuredRun {
        let writerBefore = writerReading()
        let before = CPUSample(gateway)
        let window = driver.run(workload, count: count, inFlight: inFlight)
        let after = CPUSample(gateway)
        let seconds = Double(window.end - window.start) / 1e9
        return MeasuredRun(
            seconds: seconds,
            cpuPerRequestMicros: (after.gateway - before.gateway) / Double(count) * 1e6,
            cores: coresReport(after.cores(since: before)),
            unexpected: driver.unexpected + queue.strayLines.count,
            writer: writerReport(from: writerBefore, to: writerReading(), seconds: seconds))
    }
}

/// The writer's share of a phase of `seconds`: how busy it was (busy seconds over the phase's),
/// its CPU and busy time per write, and, from a gateway that reports them, the checkpoints it ran
/// itself (the catch-ups that stall it) and where a write's time went on average (waiting for
/// the writer, in its transaction, waiting for the log sync, waiting for its task to run again).
/// Empty when the gateway did not report its writer.
func writerReport(from before: WriterReading?, to after: WriterReading?, seconds: Double) -> (json: JSON, text: String) {
    guard let before, let after, after.writes > before.writes else {
        return (.object([]), "not reported")
    }
    let writes = after.writes - before.writes
    let transactions = after.transactions - before.transactions
    let busy = after.busySeconds - before.busySeconds
    let cpu = after.cpuSeconds - before.cpuSeconds
    let syncs = after.syncs - before.syncs
    let syncMs = syncs > 0 ? (after.syncSeconds - before.syncSeconds) / syncs * 1e3 : 0
    var members: [(String, JSON)] = [
        ("writes", .int(Int(writes))), ("transactions", .int(Int(transactions))),
        ("writesPerTransaction", .number(writes / max(transactions, 1))),
        ("busyShare", .number(busy / seconds)),
        ("busyMicrosecondsPerWrite", .number(busy / writes * 1e6)),
        ("cpuMicrosecondsPerWrite", .number(cpu / writes * 1e6)),
        ("syncs", .int(Int(syncs))), ("meanSyncMs", .number(syncMs)),
    ]
    var text = String(
        format: "busy %.0f %% of the phase, %.1f µs busy and %.1f µs CPU a write, %.1f writes a transaction; "
            + "%.0f log syncs, %.3f ms each",
        100 * busy / seconds, busy / writes * 1e6, cpu / writes * 1e6, writes / max(transactions, 1), syncs, syncMs)
    if let start = before.checkpoints, let end = after.checkpoints {
        let count = end.count - start.count
        let checkpointMs = count > 0 ? (end.seconds - start.seconds) / count * 1e3 : 0
        members.append(("checkpoints", .int(Int(count))))
        members.append(("meanCheckpointMs", .number(checkpointMs)))
        text += String(format: "; %.0f checkpoints on the writer, %.3f ms each", count, checkpointMs)
    }
    if let start = before.phases, let end = after.phases {
        // Means per write, in milliseconds.
        let queued = (end.queued - start.queued) / writes * 1e3
        let transaction = (end.transaction - start.transaction) / writes * 1e3
        let awaitingSync = (end.awaitingSync - start.awaitingSync) / writes * 1e3
        let resuming = (end.resuming - start.resuming) / writes * 1e3
        let means: [(String, JSON)] = [
            ("queued", .number(queued)), ("transaction", .number(transaction)),
            ("awaitingSync", .number(awaitingSync)), ("resuming", .number(resuming)),
        ]
        members.append(("meanWriteMs", .object(means)))
        text += String(
            format: "\n                       a write's time: %.3f ms waiting for the writer, %.3f ms in its "
                + "transaction, %.3f ms waiting for the sync, %.3f ms for its task to run again",
            queued, transaction, awaitingSync, resuming)
    }
    return (.object(members), text)
}

/// Runs an SQL script (or one query) on `db` with the `sqlite3` CLI, or with Python's sqlite3
/// module where the CLI is missing; returns what the query printed, one row per line.
@discardableResult
func sqlite(_ db: String, _ sql: String) -> String {
    let process = Process()
    // GATEWAY_BENCH_SQLITE=python forces the fallback (to test it).
    let forcePython = ProcessInfo.processInfo.environment["GATEWAY_BENCH_SQLITE"] == "python"
    let cli = forcePython ? nil : ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    if let cli {
        process.executableURL = URL(fileURLWithPath: cli)
        process.arguments = ["-batch", "-bail", db]
    } else {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            statements = [s for s in sys.stdin.read().split(";\\n") if s.strip()]
            for s in statements:
                for row in c.execute(s):
                    print("|".join(str(v) for v in row))
            """, db]
    }
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    do { try process.run() } catch { fail("cannot run sqlite3 or python3: \(error)") }
    // Write from another thread: a large result must not block against our write.
    let script = Data(sql.utf8)
    let writer = input.fileHandleForWriting
    DispatchQueue.global().async {
        writer.write(script)
        try? writer.close()
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { fail("sqlite failed on \(db):\n\(sql.prefix(400))") }
    return String(decoding: data, as: UTF8.self)
}

/// Runs `binary` with `arguments` to its end (a gateway command such as `compact`): its stdout,
/// with its stderr appended to `log`. Stops the benchmark when it fails.
func runToCompletion(_ binary: String, _ arguments: [String], log: String) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
    let errors = FileHandle(forWritingAtPath: log)
    _ = try? errors?.seekToEnd()
    process.standardError = errors
    do { try process.run() } catch { fail("cannot run \(binary): \(error)") }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        fail("\(binary) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus); see \(log)")
    }
    return text
}
