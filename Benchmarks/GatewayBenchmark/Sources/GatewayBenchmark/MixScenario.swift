import Foundation

/// The measured mix: 70 % `contacts.get`, 25 % `contacts.update`, 5 % `contacts.forceUpdate`.
final class MixWorkload: Workload {
    static let methods = ["contacts.get", "contacts.update", "contacts.forceUpdate"]
    private let getBodies: [[UInt8]]
    private let updateHeads: [[UInt8]]
    private let forceHeads: [[UInt8]]
    private let kinds: [UInt8]
    private let targets: [Int32]
    /// Per contact: the revision the next update sends. It is the highest revision seen in any
    /// response, plus (when predicting) one for each write sent and not yet answered, since the
    /// gateway applies writes to one contact in arrival order.
    private var nextRevision: [Int]
    private var pendingWrites: [Int]
    private let predict: Bool
    private(set) var latencies: [[UInt64]] = [[], [], []]
    private(set) var conflicts = 0
    private(set) var errorCodes: [Int: Int] = [:]
    private(set) var errorsByMethod = [0, 0, 0]

    init(contactIDs: [String], requests: Int, seed: UInt64, predict: Bool, getPercent: UInt64 = 70) {
        func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
        getBodies = contactIDs.map { bytes(#","method":"contacts.get","params":{"contactId":"\#($0)"}}"# + "\n") }
        updateHeads = contactIDs.map { bytes(#","method":"contacts.update","params":{"contactId":"\#($0)","info":{"company":"Acme "#) }
        forceHeads = contactIDs.map { bytes(#","method":"contacts.forceUpdate","params":{"contactId":"\#($0)","info":{"jobTitle":"Engineer "#) }
        var random = SplitMix64(seed: seed)
        var kinds = [UInt8](repeating: 0, count: requests)
        var targets = [Int32](repeating: 0, count: requests)
        for index in 0..<requests {
            let roll = random.next() % 100
            let updateLimit = getPercent + (100 - getPercent) * 5 / 6
            kinds[index] = roll < getPercent ? 0 : (roll < updateLimit ? 1 : 2)
            targets[index] = Int32(random.next() % UInt64(contactIDs.count))
        }
        self.kinds = kinds
        self.targets = targets
        nextRevision = Array(repeating: 1, count: contactIDs.count)
        pendingWrites = Array(repeating: 0, count: contactIDs.count)
        self.predict = predict
        for kind in 0..<3 { latencies[kind].reserveCapacity(requests) }
    }

    func appendRequest(index: Int, id: Int, to output: inout [UInt8]) {
        let contact = Int(targets[index])
        output.append(#"{"jsonrpc":"2.0","id":"#)
        output.append(decimal: id)
        switch kinds[index] {
        case 0:
            output.append(contentsOf: getBodies[contact])
        case 1:
            output.append(contentsOf: updateHeads[contact])
            output.append(decimal: index)
            output.append(#""},"revision":"#)
            output.append(decimal: nextRevision[contact])
            output.append("}}\n")
            if predict { nextRevision[contact] += 1 }
            pendingWrites[contact] += 1
        default:
            output.append(contentsOf: forceHeads[contact])
            output.append(decimal: index)
            output.append("\"}}}\n")
            if predict { nextRevision[contact] += 1 }
            pendingWrites[contact] += 1
        }
    }

    func handle(index: Int, response: Response, latency: UInt64) {
        let kind = Int(kinds[index])
        let contact = Int(targets[index])
        latencies[kind].append(latency)
        if kind != 0 { pendingWrites[contact] -= 1 }
        if response.errorCode == 0 {
            if response.revision > nextRevision[contact] { nextRevision[contact] = response.revision }
        } else if response.isConflict {
            conflicts += 1
            nextRevision[contact] = response.revision + (predict ? pendingWrites[contact] : 0)
        } else {
            errorsByMethod[kind] += 1
            errorCodes[response.errorCode, default: 0] += 1
        }
    }
}

/// Spawn, seed, drive the mix, and report.
func runMix(_ options: Options, predict: Bool) {
    let directory = makeTemporaryDirectory()
    let db = options.db ?? "\(directory)/contacts.sqlite"
    let session = GatewaySession(binary: options.binary, db: db, log: "\(directory)/gateway-stderr.log")
    progress("gateway \(options.binary), db \(db), spawn → first response \(String(format: "%.3f", session.spawnMs)) ms")

    // Seed: pipelined creates, not part of the measured mix.
    let seed = session.createContacts(options.contacts, inFlight: options.inFlight, tag: "mix")
    progress("seeded \(options.contacts) contacts in \(String(format: "%.2f", seed.seconds)) s")

    let workload = MixWorkload(contactIDs: seed.ids, requests: options.requests, seed: options.seed, predict: predict,
        getPercent: UInt64(options.getPercent))
    progress("driving \(options.requests) requests, \(options.inFlight) in flight")
    let run = session.measure(workload, count: options.requests, inFlight: options.inFlight)
    let (cores, cpuPerRequestMicros) = (run.cores, run.cpuPerRequestMicros)
    let (seconds, unexpected, writer) = (run.seconds, run.unexpected, run.writer)
    let figures = ProcessFigures.finish(session.gateway)

    let overall = LatencySummary(workload.latencies.flatMap { $0 })
    let perMethod = workload.latencies.map(LatencySummary.init)
    let throughput = Double(options.requests) / seconds
    let errors = workload.errorsByMethod.reduce(0, +)
    // The same load against the echo floor: what the harness allows, for the ratios.
    let floor = options.floor ? runFloor(options, predict: predict) : nil
    if let floor {
        progress("floor (echo) \(String(format: "%.0f", floor.throughput)) req/s, \(floor.latency.text)")
    }
    let targets: [(String, Bool)] = [
        ("throughput>=38000", throughput >= 38_000), ("p99<=3ms", overall.p99 <= 3),
        ("spawn<=20ms", session.spawnMs <= 20), ("rss<=64MB", figures.peakRSSMB <= 64),
    ]
    var floorJSON: [(String, JSON)] = []
    if let floor {
        let members: [(String, JSON)] = [
            ("requestsPerSecond", .number(floor.throughput)), ("latency", floor.latency.json),
            ("cpuMicrosecondsPerRequest", .number(floor.cpuMicros)),
            ("gatewayThroughputShare", .number(throughput / floor.throughput)),
        ]
        floorJSON = [("floor", JSON.object(members))]
    }
    let json = JSON.object([
        ("scenario", .string("mix")), ("requests", .int(options.requests)), ("contacts", .int(options.contacts)),
        ("inFlight", .int(options.inFlight)), ("getPercent", .int(options.getPercent)), ("seed", .int(Int(options.seed))), ("predictRevisions", .bool(predict)),
        ("seconds", .number(seconds)), ("requestsPerSecond", .number(throughput)),
        ("latency", overall.json),
        ("methods", .object((0..<3).map { kind in
            (MixWorkload.methods[kind], .object([
                ("requestsPerSecond", .number(Double(perMethod[kind].count) / seconds)),
                ("latency", perMethod[kind].json), ("errors", .int(workload.errorsByMethod[kind])),
            ]))
        })),
        ("spawnToFirstResponseMs", .number(session.spawnMs)), ("seedSeconds", .number(seed.seconds)),
        ("conflicts", .int(workload.conflicts)), ("errors", .int(errors)),
        ("errorCodes", .object(workload.errorCodes.sorted { $0.key < $1.key }.map { (String($0.key), .int($0.value)) })),
        ("unexpectedLines", .int(unexpected)), ("coresDuringMix", cores.json),
        ("gatewayCPUMicrosecondsPerRequest", .number(cpuPerRequestMicros)), ("writer", writer.json),
    ] + floorJSON + figures.json + [("targetsMet", .object(targets.map { ($0.0, .bool($0.1)) }))])

    if !options.jsonOnly {
        print("contacts-gateway mix: \(options.requests) requests over \(options.contacts) contacts, "
            + "\(options.inFlight) in flight, seed \(options.seed)")
        print("spawn → first response \(ms(session.spawnMs)) ms")
        print("total        \(String(format: "%9.0f", throughput)) req/s  \(overall.text)")
        if let floor {
            print("floor (echo) \(String(format: "%9.0f", floor.throughput)) req/s  \(floor.latency.text)  "
                + "(gateway: \(String(format: "%.0f", 100 * throughput / floor.throughput)) % of the floor's throughput, "
                + "echo CPU \(String(format: "%.1f", floor.cpuMicros)) µs/req)")
        }
        for kind in 0..<3 {
            let rate = Double(perMethod[kind].count) / seconds
            let name = MixWorkload.methods[kind].padding(toLength: 20, withPad: " ", startingAt: 0)
            print("  \(name) \(String(format: "%9.0f", rate)) req/s  \(perMethod[kind].text)")
        }
        print("CONTACT_ALREADY_CHANGED \(workload.conflicts)  other errors \(errors) \(workload.errorCodes)  "
            + "unexpected lines \(unexpected)")
        print("cores during the mix    \(cores.text)")
        print("the writer             \(writer.text)")
        print("gateway CPU per request \(String(format: "%.1f", cpuPerRequestMicros)) µs")
        print(figures.text)
        print("targets                " + targets.map { "\($0.0) \($0.1 ? "ok" : "MISSED")" }.joined(separator: ", "))
    }
    print(json.rendered)
    try? FileManager.default.removeItem(atPath: directory)  // the log, and the db unless --db
}
