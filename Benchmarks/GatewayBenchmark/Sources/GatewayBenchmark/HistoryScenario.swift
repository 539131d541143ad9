import Foundation

/// `audit.history {contactId, limit: 50}` on a database of `--history-entries` audit entries.
func runHistory(_ options: Options) {
    let directory = makeTemporaryDirectory()
    let db = options.historyDB ?? "\(directory)/history.sqlite"
    let log = "\(directory)/gateway-stderr.log"
    let build = ensureHistoryDatabase(db, options: options, log: log)
    let contactIDs = sqlite(db, "SELECT contact_id FROM audit_entry WHERE operation = 'create' ORDER BY audit_id;\n")
        .split(separator: "\n").map(String.init)
    guard !contactIDs.isEmpty else { fail("\(db) holds no created contacts") }

    let session = GatewaySession(binary: options.binary, db: db, log: log)
    progress("history db \(db) (\(build.entries) entries, \(contactIDs.count) contacts), "
        + "spawn → first response \(String(format: "%.3f", session.spawnMs)) ms")

    var random = SplitMix64(seed: options.seed)
    let bodies = (0..<options.historyRequests).map { _ in
        let contact = contactIDs[Int(random.next() % UInt64(contactIDs.count))]
        return #","method":"audit.history","params":{"contactId":"\#(contact)","limit":50}}"#
    }
    // A short warm-up so that both measured runs see the same (warm) page cache.
    session.driver.run(FixedWorkload(bodies: Array(bodies.prefix(500))), count: min(500, bodies.count), inFlight: 4)

    var runs: [(inFlight: Int, seconds: Double, summary: LatencySummary, errors: Int,
                cores: (json: JSON, text: String))] = []
    for inFlight in [1, options.historyInFlight] {
        let workload = FixedWorkload(bodies: bodies)
        let before = CPUSample(session.gateway)
        let window = session.driver.run(workload, count: bodies.count, inFlight: inFlight)
        let cores = coresReport(CPUSample(session.gateway).cores(since: before))
        runs.append((inFlight, Double(window.end - window.start) / 1e9, LatencySummary(workload.latencies),
                     workload.errors, cores))
    }
    let unexpected = session.driver.unexpected + session.queue.strayLines.count
    let figures = ProcessFigures.finish(session.gateway)
    // The target (p99 ≤ 5 ms) judged for each run on its own: one client at a time, and many.
    let targets = runs.map { run in ("p99<=5ms at \(run.inFlight) in flight", run.summary.p99 <= 5) }

    let json = JSON.object([
        ("scenario", .string("history")), ("entries", .int(build.entries)), ("contacts", .int(contactIDs.count)),
        ("buildSeconds", .number(build.seconds)), ("reusedDatabase", .bool(build.reused)),
        ("requests", .int(options.historyRequests)), ("spawnToFirstResponseMs", .number(session.spawnMs)),
        ("runs", .array(runs.map { run in
            .object([("inFlight", .int(run.inFlight)), ("requestsPerSecond", .number(Double(options.historyRequests) / run.seconds)),
                     ("latency", run.summary.json), ("errors", .int(run.errors)), ("cores", run.cores.json)])
        })),
        ("unexpectedLines", .int(unexpected)),
    ] + figures.json + [("targetsMet", .object(targets.map { ($0.0, .bool($0.1)) }))])

    if !options.jsonOnly {
        print("contacts-gateway audit.history: \(options.historyRequests) requests, limit 50, random contacts")
        print("database               \(build.entries) entries over \(contactIDs.count) contacts"
            + (build.reused ? " (reused)" : " (built in \(String(format: "%.1f", build.seconds)) s)"))
        print("spawn → first response \(ms(session.spawnMs)) ms")
        for run in runs {
            let rate = Double(options.historyRequests) / run.seconds
            print("\(String(format: "%2d", run.inFlight)) in flight  \(String(format: "%8.0f", rate)) req/s  "
                + "\(run.summary.text)  errors \(run.errors)")
            print("             cores     \(run.cores.text)")
        }
        print(figures.text)
        print("targets                " + targets.map { "\($0.0) \($0.1 ? "ok" : "MISSED")" }.joined(separator: ", "))
    }
    print(json.rendered)
    try? FileManager.default.removeItem(atPath: directory)  // the log, and the db unless --history-db
}

/// Builds the history database unless `db` already holds enough entries: the gateway creates
/// `--history-contacts` contacts (so every entry is a real one of its making), then SQL copies
/// those entries as `update` entries, round robin over the contacts, up to the target count.
/// Like the gateway, it leaves `before_json` empty where it equals the previous entry's `after`
/// (here, always): readers take it from that entry. Each copy stores its `after` (the create
/// entries leave theirs in the contact's row, packed as the row keeps it; readers unpack it).
func ensureHistoryDatabase(_ db: String, options: Options, log: String) -> (entries: Int, seconds: Double, reused: Bool) {
    let target = options.historyEntries
    if FileManager.default.fileExists(atPath: db) {
        let existing = Int(sqlite(db, "SELECT count(*) FROM audit_entry;\n").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        if existing >= target { return (existing, 0, true) }
        fail("\(db) exists with \(existing) < \(target) entries; remove it or pass another --history-db")
    }
    let start = now()
    let session = GatewaySession(binary: options.binary, db: db, log: log)
    let created = session.createContacts(options.historyContacts, inFlight: 64, tag: "history")
    progress("created \(created.ids.count) contacts in \(String(format: "%.2f", created.seconds)) s; copying entries with SQL")
    let exit = session.gateway.closeAndWait()
    guard exit.status == 0 else { fail("the gateway exited with \(exit.status) while building \(db); see \(log)") }

    let extra = target - options.historyContacts
    // Since `audit v6: compact entries` the gateway stores a company change as code 16 and leaves
    // out a timestamp that is the form of `timestamp_ms`.
    let compact = !sqlite(db, "SELECT name FROM pragma_table_info('audit_entry') WHERE name = 'run_key';\n")
        .trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    // Since `audit v7` each entry names its contact's previous one and the contact's row its
    // latest (the gateway reads a contact's history by walking back from there).
    let chained = !sqlite(db, "SELECT name FROM pragma_table_info('audit_entry') WHERE name = 'previous_id';\n")
        .trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    let link = chained
        ? """
        UPDATE audit_entry SET previous_id = l.previous FROM (
            SELECT audit_id, LAG(audit_id) OVER (PARTITION BY contact_id ORDER BY audit_id) AS previous
            FROM audit_entry) AS l
        WHERE l.audit_id = audit_entry.audit_id AND l.previous IS NOT NULL;
        UPDATE contact SET journal_head = h.latest FROM (
            SELECT contact_id, MAX(audit_id) AS latest FROM audit_entry GROUP BY contact_id) AS h
        WHERE h.contact_id = contact.id;
        """
        : ""
    let (changed, timestamp) =
        compact
        ? ("'16'", "''") : ("'[\"info.company\"]'", "strftime('%Y-%m-%dT%H:%M:%fZ', (b.ms + 1 + n.i) / 1000.0, 'unixepoch')")
    let sql = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = OFF;
        CREATE TEMP TABLE seed(k INTEGER PRIMARY KEY, contact_id TEXT, after_json BLOB, actor TEXT);
        INSERT INTO seed(k, contact_id, after_json, actor)
            SELECT row_number() OVER (ORDER BY audit_id) - 1, contact_id,
                   coalesce(after_json, (SELECT json FROM contact WHERE id = contact_id)), actor
            FROM audit_entry WHERE operation = 'create';
        CREATE TEMP TABLE base AS SELECT max(timestamp_ms) AS ms, (SELECT count(*) FROM seed) AS contacts FROM audit_entry;
        BEGIN;
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < \(extra) - 1)
        INSERT INTO audit_entry(contact_id, operation, revision_before, revision_after, before_json, after_json,
                                changed_fields, timestamp, timestamp_ms, actor, request_id)
            SELECT s.contact_id, 'update', 1 + n.i / b.contacts, 2 + n.i / b.contacts, NULL, s.after_json,
                   \(changed), \(timestamp), b.ms + 1 + n.i, s.actor, 'bench-' || n.i
            FROM n, base AS b JOIN seed AS s ON s.k = n.i % b.contacts;
        \(link)
        COMMIT;
        PRAGMA wal_checkpoint(TRUNCATE);
        SELECT count(*) FROM audit_entry;

        """
    let count = buildCount(db, sql, atLeast: target, of: "entries")
    return (count, Double(now() - start) / 1e9, false)
}

/// Runs a database build script whose last statement counts what it built; stops the benchmark
/// unless it built at least `minimum` `things`.
func buildCount(_ db: String, _ sql: String, atLeast minimum: Int, of things: String) -> Int {
    let count = Int(sqlite(db, sql).split(separator: "\n").last.map(String.init) ?? "") ?? 0
    guard count >= minimum else { fail("building \(db) gave \(count) \(things)") }
    return count
}
