import Foundation

/// `contacts.query` on a database of `--query-contacts` (1,000,000) contacts: p50/p99 of each
/// query shape of issue #20, one request at a time, plus creates and updates on the same file.
func runQuery(_ options: Options) {
    let directory = makeTemporaryDirectory()
    let db = options.queryDB ?? "\(directory)/query.sqlite"
    let log = "\(directory)/gateway-stderr.log"
    let build = ensureQueryDatabase(db, contacts: options.queryContacts, options: options, log: log)
    let n = build.contacts

    let session = GatewaySession(binary: options.binary, db: db, log: log)
    progress("query db \(db) (\(n) contacts), spawn → first response \(String(format: "%.3f", session.spawnMs)) ms")

    var random = SplitMix64(seed: options.seed)
    func pick() -> Int { Int(random.next() % UInt64(n)) }
    var nextOffset = n / 2
    func query(_ params: String) -> String { #","method":"contacts.query","params":\#(params)}"# }
    let count = options.queryRequests
    // The shapes of the issue's table, and the targets' other equality filters.
    // The writes some shapes send before each query they time: updates keep the default order
    // (page anchors hold), creates move it.
    let writtenIDs = sqlite(db, "SELECT id FROM contact ORDER BY rowid LIMIT \(count) OFFSET \(n / 3);\n")
        .split(separator: "\n").map(String.init)
    var written = 0
    func forceUpdate() -> String {
        defer { written += 1 }
        return #","method":"contacts.forceUpdate","params":{"contactId":"\#(writtenIDs[written % writtenIDs.count])","info":{"jobTitle":"J\#(written)"}}}"#
    }
    let createTag = "w\(UInt32.random(in: 0...UInt32.max))"
    func create() -> String {
        defer { written += 1 }
        return #","method":"contacts.create","params":{"info":{"name":{"first":"W\#(written)"},"#
            + #""emails":{"items":[{"email":"\#(createTag)-\#(written)@example.net"}]}}}}"#
    }
    let readOnly: [(name: String, target: Double?, make: () -> String)] = [
        ("primaryInfo.email", 5, { query(#"{"filter":{"primaryInfo.email":"c\#(pick())@example.com"}}"#) }),
        ("info.emails.email (any email)", 5, {
            // Every third contact has a second, non-primary email: find contacts by it.
            query(#"{"filter":{"info.emails.email":"h\#(pick() / 3 * 3)@example.org"}}"#)
        }),
        ("info.phones.phone (any phone)", 5, { query(#"{"filter":{"info.phones.phone":"\#(phone(pick()))"}}"#) }),
        ("info.company, 1,000 match", 5, { query(#"{"filter":{"info.company":"Co\#(pick() % 1000)"}}"#) }),
        // Labels are on every fifth contact, `custom.l<i mod 20>`: l0, l5, l10 and l15, 50,000 each.
        ("info.labelKeys, 50,000 match", 5, {
            query(#"{"filter":{"info.labelKeys":"custom.l\#(pick() % 4 * 5)"}}"#)
        }),
        ("info.name.first $startsWith", 20, {
            query(#"{"filter":{"info.name.first":{"$startsWith":"F\#(1000 + pick() % 9000)"}}}"#)
        }),
        ("info.emails.email $startsWith", 20, {
            query(#"{"filter":{"info.emails.email":{"$startsWith":"c\#(1000 + pick() % 9000)"}}}"#)
        }),
        ("info.company sorted by info.name.last, limit 50", 20, {
            query(#"{"filter":{"info.company":"Co\#(pick() % 1000)"},"sort":[{"fieldName":"info.name.last","order":"ASC"}]}"#)
        }),
        ("no filter, offset 50,000", 20, { query(#"{"paging":{"limit":50,"offset":50000}}"#) }),
        ("no filter, random offset", 20, { query(#"{"paging":{"limit":50,"offset":\#(max(0, pick() - 50))}}"#) }),
        ("no filter, the next page (offset += 50 from the middle)", 20, {
            defer { nextOffset += 50 }
            return query(#"{"paging":{"limit":50,"offset":\#(nextOffset)}}"#)
        }),
        ("no filter, sort createdDate desc, limit 50", 20, {
            query(#"{"sort":[{"fieldName":"createdDate","order":"DESC"}],"paging":{"limit":50}}"#)
        }),
    ]
    let randomOffset = { query(#"{"paging":{"limit":50,"offset":\#(max(0, pick() - 50))}}"#) }
    let shapes: [(name: String, target: Double?, make: () -> String, writeBefore: (() -> String)?)] =
        readOnly.map { ($0.name, $0.target, $0.make, nil) } + [
            ("no filter, random offset, each after a forceUpdate", 20, randomOffset, forceUpdate),
            ("no filter, random offset, each after a create", 20, randomOffset, create),
        ]

    var results: [(name: String, target: Double?, summary: LatencySummary, errors: Int, empty: Int)] = []
    for shape in shapes {
        let bodies = (0..<count).map { _ in shape.make() }
        // A few requests first, so every shape is measured on a warm page cache.
        let warmUp = min(20, max(1, count / 10))
        session.driver.run(FixedWorkload(bodies: Array(bodies.prefix(warmUp))), count: warmUp, inFlight: 1)
        // A shape that writes first sends each write, then its query: only the queries are timed.
        let step = shape.writeBefore == nil ? 1 : 2
        let sent = shape.writeBefore.map { write in bodies.flatMap { [write(), $0] } } ?? bodies
        let workload = FixedWorkload(bodies: sent, keepResponses: true, timed: { $0 % step == step - 1 })
        session.driver.run(workload, count: sent.count, inFlight: 1)
        let queried = stride(from: step - 1, to: sent.count, by: step).map { workload.responses[$0] }
        let empty = queried.filter { ($0?.revision ?? -1) < 0 }.count
        results.append((shape.name, shape.target, LatencySummary(workload.latencies), workload.errors, empty))
        progress("\(shape.name): \(LatencySummary(workload.latencies).text)")
    }

    // Writes on the big file: creates (each checks duplicates through the email and phone
    // indexes) and updates of random contacts' company, one at a time.
    let writes = min(count, 1000)
    let tag = "q\(UInt32.random(in: 0...UInt32.max))"
    let creates = FixedWorkload(bodies: (0..<writes).map { index in
        #","method":"contacts.create","params":{"info":{"name":{"first":"New","last":"Contact \#(index)"},"#
            + #""emails":{"items":[{"email":"\#(tag)-\#(index)@example.net"}]},"company":"Co1"}}}"#
    })
    session.driver.run(creates, count: writes, inFlight: 1)
    let createSummary = LatencySummary(creates.latencies)
    let updateIDs = sqlite(db, "SELECT id FROM contact ORDER BY rowid DESC LIMIT \(writes);\n")
        .split(separator: "\n").map(String.init)
    let updates = FixedWorkload(bodies: updateIDs.map { id in
        #","method":"contacts.forceUpdate","params":{"contactId":"\#(id)","info":{"company":"Co2"}}}"#
    })
    session.driver.run(updates, count: updateIDs.count, inFlight: 1)
    let updateSummary = LatencySummary(updates.latencies)
    let figures = ProcessFigures.finish(session.gateway)
    let storage = queryStorage(db)

    let targets = results.compactMap { result in
        result.target.map { ("\(result.name) p99<=\(Int($0))ms", result.summary.p99 <= $0) }
    } + [("bytes per contact with its create entry <=1200", storage.bytesPerContact <= 1200)]
    let json = JSON.object([
        ("scenario", .string("query")), ("contacts", .int(n)), ("buildSeconds", .number(build.seconds)),
        ("reusedDatabase", .bool(build.reused)), ("requestsPerShape", .int(count)),
        ("spawnToFirstResponseMs", .number(session.spawnMs)),
        ("shapes", .array(results.map { result in
            .object([("name", .string(result.name)), ("latency", result.summary.json), ("errors", .int(result.errors)),
                     ("emptyPages", .int(result.empty))])
        })),
        ("creates", .object([("latency", createSummary.json), ("errors", .int(creates.errors))])),
        ("forceUpdates", .object([("latency", updateSummary.json), ("errors", .int(updates.errors))])),
        ("storage", storage.json),
    ] + figures.json + [("targetsMet", .object(targets.map { ($0.0, .bool($0.1)) }))])

    if !options.jsonOnly {
        print("contacts-gateway contacts.query: \(count) requests per shape, 1 in flight")
        print("database               \(n) contacts" + (build.reused ? " (reused)" : " (built in \(String(format: "%.1f", build.seconds)) s)"))
        for result in results {
            let name = result.name.padding(toLength: 48, withPad: " ", startingAt: 0)
            print("\(name) \(result.summary.text)  errors \(result.errors)  empty \(result.empty)")
        }
        print("contacts.create (1 in flight)".padding(toLength: 48, withPad: " ", startingAt: 0)
            + " \(createSummary.text)  errors \(creates.errors)")
        print("contacts.forceUpdate (1 in flight)".padding(toLength: 48, withPad: " ", startingAt: 0)
            + " \(updateSummary.text)  errors \(updates.errors)")
        print(storage.text)
        print(figures.text)
        print("targets                " + targets.map { "\($0.0) \($0.1 ? "ok" : "MISSED")" }.joined(separator: ", "))
    }
    print(json.rendered)
    try? FileManager.default.removeItem(atPath: directory)  // the log, and the db unless --query-db
}

/// The phone item of contact `i`: `6DD-DDD-DDDD`, unique per contact.
func phone(_ i: Int) -> String {
    let digits = String(format: "%09d", i)
    let chars = Array(digits)
    return "6\(String(chars[0..<2]))-\(String(chars[2..<5]))-\(String(chars[5..<9]))"
}

/// Bytes of the database file per contact, and of each table and its indexes (SQLite's
/// `dbstat`), to see what a contact and its create entry cost.
func queryStorage(_ db: String) -> (json: JSON, text: String, bytesPerContact: Double) {
    sqlite(db, "PRAGMA wal_checkpoint(TRUNCATE);\n")
    let contacts = Double(sqlite(db, "SELECT count(*) FROM contact;\n").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 1
    let entries = Double(sqlite(db, "SELECT count(*) FROM audit_entry;\n").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    let rows = sqlite(db, """
        SELECT coalesce(i.tbl_name, s.name), sum(s.pgsize) FROM dbstat s
        LEFT JOIN sqlite_master i ON i.name = s.name GROUP BY 1 ORDER BY 2 DESC;

        """).split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
    let fileBytes = (try? FileManager.default.attributesOfItem(atPath: db)[.size] as? Int) ?? 0
    let perTable = rows.compactMap { row -> (String, Double)? in
        guard row.count == 2, let bytes = Double(row[1]) else { return nil }
        return (row[0], bytes)
    }
    let json = JSON.object([
        ("fileBytes", .int(fileBytes)), ("auditEntries", .int(Int(entries))),
        ("bytesPerContact", .number(Double(fileBytes) / contacts)),
        ("tables", .object(perTable.map { ($0.0, .number($0.1 / contacts)) })),
    ])
    var text = String(format: "storage                %.0f MB, %.0f bytes per contact (with its %.2f audit entries); per contact: ",
                      Double(fileBytes) / 1e6, Double(fileBytes) / contacts, entries / contacts)
    text += perTable.map { "\($0.0) \(Int($0.1 / contacts))" }.joined(separator: ", ")
    return (json, text, Double(fileBytes) / contacts)
}

/// Builds the query database unless `db` already holds contacts: the gateway creates four
/// template contacts and twenty labels (so stored JSON is the gateway's own), then SQL copies
/// the templates into `contacts` contacts, each with its create entry in the audit log:
/// `F<i>` / `L<permuted i>` names, company `Co<i mod 1000>`, `c<i>@example.com`, a second email
/// `h<i>@example.org` on every third, phone ``phone(_:)``, label `custom.l<i mod 20>` on every
/// fifth (so `custom.l0`, `l5`, `l10` and `l15`, on 50,000 contacts each), created 10 ms apart.
func ensureQueryDatabase(_ db: String, contacts: Int, options: Options, log: String)
    -> (contacts: Int, seconds: Double, reused: Bool)
{
    if FileManager.default.fileExists(atPath: db) {
        let existing = Int(sqlite(db, "SELECT count(*) FROM contact;\n").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        if existing >= contacts { return (existing, 0, true) }
        fail("\(db) exists with \(existing) < \(contacts) contacts; remove it or pass another --query-db")
    }
    let start = now()
    let session = GatewaySession(binary: options.binary, db: db, log: log)
    // Templates: (second email?, label?) → 0...3. Placeholders are replaced per contact below.
    var bodies: [String] = (0..<20).map { #","method":"labels.findOrCreate","params":{"displayName":"L\#($0)"}}"# }
    for template in 0..<4 {
        let second = template & 2 != 0 ? #",{"email":"qsecond@example.org","tag":"HOME"}"# : ""
        let label = template & 1 != 0 ? #","labelKeys":{"items":["custom.l19"]}"# : ""
        bodies.append(#","method":"contacts.create","params":{"allowDuplicates":true,"info":{"#
            + #""name":{"first":"Qfirst","last":"Qlast"},"company":"Qcompany","#
            + #""emails":{"items":[{"email":"qprimary@example.com","tag":"WORK"}\#(second)]},"#
            + #""phones":{"items":[{"phone":"699-999-9999","tag":"MOBILE"}]}\#(label)}}}"#)
    }
    let setup = FixedWorkload(bodies: bodies, keepResponses: true)
    session.queue.setCaptureContactIDs(true)
    session.driver.run(setup, count: bodies.count, inFlight: 1)
    session.queue.setCaptureContactIDs(false)
    guard setup.errors == 0 else { fail("setting up templates failed; see \(log)") }
    // The templates' JSON as the gateway answered it: the store keeps it packed, which SQL
    // cannot edit, so the copies are made from this, then packed by `contacts-gateway compact`
    // and the file rebuilt (`--vacuum`), as dense as the gateway's own writes leave it.
    let templates = setup.responses.suffix(4).map { response -> String in
        guard let response, let id = response.contactId, let json = response.contactJSON else {
            fail("a template's create answered no contact; see \(log)")
        }
        return "('\(id)', '\(json.replacingOccurrences(of: "'", with: "''"))')"
    }
    let exit = session.gateway.closeAndWait()
    guard exit.status == 0 else { fail("the gateway exited with \(exit.status) while building \(db); see \(log)") }
    progress("templates created; generating \(contacts) contacts with SQL")

    let hasPhoneNumbers = !sqlite(db, "SELECT name FROM sqlite_master WHERE name = 'contact_phone_number';\n")
        .trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    // Items are keyed by the contact's integer key since `v-contact-keys`, by its id before.
    let keyed = !sqlite(db, "SELECT name FROM pragma_table_info('contact_email') WHERE name = 'contact_key';\n")
        .trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    let (owner, ownerValue) = keyed ? ("contact_key", "c.contact_key") : ("contact_id", "g.id")
    // Entries name their run by key since `audit v6: compact entries`, by id before.
    let runKeyed = !sqlite(db, "SELECT name FROM pragma_table_info('audit_entry') WHERE name = 'run_key';\n")
        .trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    let (runColumns, runValues) = runKeyed ? ("run_id, run_key", "t.run_id, t.run_key") : ("run_id", "t.run_id")
    // A contact's dates are integer milliseconds since `v-integer-dates`, RFC 3339 text before.
    let integerDates = sqlite(db, "SELECT type FROM pragma_table_info('contact') WHERE name = 'created_date';\n")
        .trimmingCharacters(in: .whitespacesAndNewlines).uppercased() == "INTEGER"
    let templateDate =
        integerDates ? "strftime('%Y-%m-%dT%H:%M:%fZ', c.created_date / 1000.0, 'unixepoch')" : "c.created_date"
    let storedDate = integerDates ? "g.ms" : "g.created"
    let genWithContact = "gen g JOIN contact c ON c.id = g.id"
    // Contact i's values, computed once; the JSON is the template's with the placeholders replaced.
    let phoneSQL = "printf('6%02d-%03d-%04d', i / 10000000, (i / 10000) % 1000, i % 10000)"
    let sql = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = OFF;
        PRAGMA cache_size = -262144;
        CREATE TEMP TABLE tpl_json (id TEXT PRIMARY KEY, j TEXT NOT NULL);
        INSERT INTO tpl_json (id, j) VALUES \(templates.joined(separator: ", "));
        CREATE TEMP TABLE tpl AS
            SELECT row_number() OVER (ORDER BY c.rowid) - 1 AS k, c.id, (SELECT j FROM tpl_json WHERE id = c.id) AS j,
                   \(templateDate) AS created_date,
                   e.revision_before, e.changed_fields, e.timestamp, e.actor, e.after_json IS NULL AS after_in_row,
                   \(runKeyed ? "e.run_id, e.run_key" : "e.run_id"), e.hash IS NOT NULL AS hashed
            FROM contact c JOIN audit_entry e ON e.contact_id = c.id AND e.operation = 'create';
        CREATE TEMP TABLE base AS SELECT max(timestamp_ms) + 1000 AS ms FROM audit_entry;
        CREATE TEMP TABLE gen AS
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < \(contacts) - 1)
            SELECT i,
                lower(printf('%08x-%04x-4%03x-a%03x-%012x', abs(random()) % 4294967296, i % 65536, i % 4096,
                    abs(random()) % 4096, i)) AS id,
                (CASE WHEN i % 3 = 0 THEN 2 ELSE 0 END) + (CASE WHEN i % 5 = 0 THEN 1 ELSE 0 END) AS k,
                'F' || i AS first, 'L' || ((i * 7919) % 1000003) AS last, 'Co' || (i % 1000) AS company,
                'c' || i || '@example.com' AS email, 'h' || i || '@example.org' AS second,
                \(phoneSQL) AS phone, 'custom.l' || (i % 20) AS label,
                strftime('%Y-%m-%dT%H:%M:%fZ', (b.ms + i * 10) / 1000.0, 'unixepoch') AS created,
                b.ms + i * 10 AS ms
            FROM n, base b;
        BEGIN;
        INSERT INTO contact (id, revision, json, is_member, first_name, last_name, company, primary_email,
                             primary_phone, created_date, updated_date)
            SELECT g.id, 1, CAST(replace(replace(replace(replace(replace(replace(replace(replace(replace(
                       t.j, t.id, g.id), 'Qfirst', g.first), 'Qlast', g.last), 'Qcompany', g.company),
                       'qprimary@example.com', g.email), 'qsecond@example.org', g.second),
                       '699-999-9999', g.phone), 'custom.l19', g.label), t.created_date, g.created) AS BLOB),
                   0, g.first, g.last, g.company, g.email, g.phone, \(storedDate), \(storedDate)
            FROM gen g JOIN tpl t ON t.k = g.k ORDER BY g.i;
        INSERT INTO contact_email (\(owner), email) SELECT \(ownerValue), g.email FROM \(genWithContact);
        INSERT INTO contact_email (\(owner), email) SELECT \(ownerValue), g.second FROM \(genWithContact) WHERE g.k & 2;
        INSERT INTO contact_phone (\(owner), phone_key) SELECT \(ownerValue), replace(g.phone, '-', '') FROM \(genWithContact);
        \(hasPhoneNumbers ? "INSERT INTO contact_phone_number (\(owner), phone) SELECT \(ownerValue), g.phone FROM \(genWithContact);" : "")
        INSERT INTO contact_label (\(owner), label_key) SELECT \(ownerValue), g.label FROM \(genWithContact) WHERE g.k & 1;
        -- Each entry as the gateway writes it: its after left in the row when the gateway's are, its
        -- timestamp left out when the gateway's are, its run, and its place in the chain with a
        -- hash of the same size (random: the benchmark does not verify).
        CREATE TEMP TABLE chain AS SELECT coalesce(max(chain_seq), 0) AS seq FROM audit_entry;
        INSERT INTO audit_entry (contact_id, operation, revision_before, revision_after, before_json, after_json,
                                 changed_fields, timestamp, timestamp_ms, actor, request_id, \(runColumns), chain_seq,
                                 hash)
            SELECT g.id, 'create', t.revision_before, 1, NULL, CASE WHEN t.after_in_row THEN NULL ELSE c.json END,
                   t.changed_fields, CASE WHEN t.timestamp = '' THEN '' ELSE g.created END, g.ms, t.actor,
                   'bench-' || g.i, \(runValues), CASE WHEN t.hashed THEN s.seq + 1 + g.i END,
                   CASE WHEN t.hashed THEN randomblob(32) END
            FROM gen g JOIN tpl t ON t.k = g.k JOIN contact c ON c.id = g.id, chain s ORDER BY g.i;
        -- The gateway's next entries go after them in the chain.
        UPDATE audit_chain SET seq = (SELECT max(chain_seq) FROM audit_entry);
        COMMIT;
        PRAGMA wal_checkpoint(TRUNCATE);
        SELECT count(*) FROM contact;

        """
    let count = buildCount(db, sql, atLeast: contacts, of: "contacts")
    progress("generated in \(String(format: "%.1f", Double(now() - start) / 1e9)) s; packing their JSON")
    let packed = runToCompletion(options.binary, ["compact", "--vacuum", "--db", db], log: log)
    progress(packed.trimmingCharacters(in: .whitespacesAndNewlines))
    return (count, Double(now() - start) / 1e9, false)
}
