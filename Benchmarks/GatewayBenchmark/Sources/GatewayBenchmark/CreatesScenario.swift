import Foundation

/// `--scenario creates`: `contacts.create` only, each contact with its own name, email and phone,
/// duplicates checked as a client's creates are (the mix seeds with `allowDuplicates`): what an
/// import costs, after `--contacts` seeded contacts.
func runCreates(_ options: Options) {
    let directory = makeTemporaryDirectory()
    let db = options.db ?? "\(directory)/contacts.sqlite"
    let session = GatewaySession(binary: options.binary, db: db, log: "\(directory)/gateway-stderr.log")
    let spawn = String(format: "%.3f", session.spawnMs)
    progress("gateway \(options.binary), db \(db), spawn → first response \(spawn) ms")
    let seed = session.createContacts(options.contacts, inFlight: options.inFlight, tag: "seed")
    progress("seeded \(options.contacts) contacts in \(String(format: "%.2f", seed.seconds)) s")

    let bodies = (0..<options.requests).map { index in
        // Every email and phone its own, so no create is refused as a duplicate.
        let phone = String(format: "+1 212 %03d %04d", index / 10_000 % 1_000, index % 10_000)
        return #","method":"contacts.create","params":{"info":{"#
            + #""name":{"first":"New","last":"Contact \#(index)"},"#
            + #""emails":{"items":[{"email":"new-\#(index)@example.com","tag":"WORK"}]},"#
            + #""phones":{"items":[{"phone":"\#(phone)","tag":"MOBILE"}]},"company":"Acme"}}}"#
    }
    let workload = FixedWorkload(bodies: bodies)
    progress("driving \(options.requests) creates, \(options.inFlight) in flight")
    let run = session.measure(workload, count: options.requests, inFlight: options.inFlight)
    let (cores, cpuPerRequestMicros) = (run.cores, run.cpuPerRequestMicros)
    let (seconds, unexpected, writer) = (run.seconds, run.unexpected, run.writer)
    let figures = ProcessFigures.finish(session.gateway)
    let latency = LatencySummary(workload.latencies)
    let throughput = Double(options.requests) / seconds

    let json = JSON.object(
        [
            ("scenario", .string("creates")), ("requests", .int(options.requests)),
            ("seededContacts", .int(options.contacts)), ("inFlight", .int(options.inFlight)),
            ("seconds", .number(seconds)), ("requestsPerSecond", .number(throughput)), ("latency", latency.json),
            ("spawnToFirstResponseMs", .number(session.spawnMs)), ("seedSeconds", .number(seed.seconds)),
            ("errors", .int(workload.errors)), ("unexpectedLines", .int(unexpected)),
            ("coresDuringCreates", cores.json), ("gatewayCPUMicrosecondsPerRequest", .number(cpuPerRequestMicros)), ("writer", writer.json),
        ] + figures.json)
    if !options.jsonOnly {
        print(
            "contacts-gateway creates: \(options.requests) after \(options.contacts) seeded, "
                + "\(options.inFlight) in flight")
        print("creates      \(String(format: "%9.0f", throughput)) req/s  \(latency.text)")
        print("errors \(workload.errors)  unexpected lines \(unexpected)")
        print("cores during the creates \(cores.text)")
        print("the writer             \(writer.text)")
        print("gateway CPU per create  \(String(format: "%.1f", cpuPerRequestMicros)) µs")
        print(figures.text)
    }
    print(json.rendered)
    if workload.errors > 0 { fail("\(workload.errors) creates failed; see \(directory)/gateway-stderr.log") }
    try? FileManager.default.removeItem(atPath: directory)  // the log, and the db unless --db
}
