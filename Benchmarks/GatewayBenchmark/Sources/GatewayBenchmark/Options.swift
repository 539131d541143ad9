import Foundation

/// Which workload to drive.
enum Scenario: String {
    /// 70 % get, 25 % update, 5 % forceUpdate over the seeded contacts (the performance target).
    case mix
    /// The mix with no gets: updates and forceUpdates, 5 : 1 (`--scenario mix --gets 0`).
    case updates
    /// New contacts only, each with an email and a phone, duplicates checked: what an import costs.
    case creates
    /// `audit.history` on a database of 1,000,000 audit entries.
    case history
    /// `contacts.query`, shape by shape, on a database of 1,000,000 contacts.
    case query
}

/// The command line, parsed by hand so that the package has no dependencies.
struct Options {
    var binary: String
    var scenario: Scenario = .mix
    var requests = 50_000
    var contacts = 1_000
    var inFlight = 64
    /// Percent of the mix's requests that are `contacts.get`; the rest split 5 : 1 between update
    /// and forceUpdate, as in the target mix (70 → 25 + 5).
    var getPercent = 70
    var seed: UInt64 = 42
    var db: String?
    var historyDB: String?
    var historyEntries = 1_000_000
    var historyContacts = 2_000
    var historyRequests = 5_000
    var historyInFlight = 16
    var queryDB: String?
    var queryContacts = 1_000_000
    var queryRequests = 200
    var jsonOnly = false
    var predictRevisions = true
    /// mix: also drive the echo floor and print each figure against it.
    var floor = true

    static let usage = """
        usage: gateway-benchmark [--scenario mix|updates|creates|history|query] [--binary PATH] [--requests N]
                                 [--contacts N] [--in-flight N] [--seed N] [--db PATH]
                                 [--history-db PATH] [--history-entries N] [--history-contacts N]
                                 [--history-requests N] [--history-in-flight N]
                                 [--query-db PATH] [--query-contacts N] [--query-requests N]
                                 [--gets PERCENT] [--no-predict] [--no-floor] [--json]

          --binary PATH        the release gateway; default $GATEWAY_BENCH_BINARY, else
                               ../../.build-bench/release/contacts-gateway found from the
                               current directory, the repo root or this executable
          --scenario           mix (default), updates (the mix without gets), creates (new
                               contacts only), history or query
          --requests N         mix, creates: requests in the measured phase (default 50000)
          --contacts N         mix, creates: contacts seeded before it (default 1000)
          --in-flight N        mix, creates: requests kept outstanding (default 64)
          --gets PERCENT       mix: share of contacts.get (default 70); the rest is update and
                               forceUpdate, 5 : 1
          --seed N             random seed (default 42)
          --db PATH            mix, creates: database file (default: a fresh temporary directory)
          --history-db PATH    history: database to build, or to reuse when it already holds
                               the entries (default: a fresh temporary directory)
          --query-db PATH      query: database to build (1,000,000 contacts by default), or
                               to reuse when it already holds them
          --query-contacts N   query: contacts to generate (default 1000000)
          --query-requests N   query: requests per query shape (default 200)
          --no-predict         mix: send updates with the last revision seen in a response,
                               not that plus the writes still in flight to the contact
          --no-floor           mix: skip the harness floor (the same load against an echo
                               process that does no work: `gateway-benchmark serve`)
          --json               print only the final machine-readable JSON line
        """

    /// Parses `arguments` (without the program name); exits with the usage on a mistake.
    static func parse(_ arguments: [String]) -> Options {
        var options = Options(binary: "")
        var binary: String?
        var iterator = arguments.makeIterator()
        func value(_ flag: String) -> String {
            guard let value = iterator.next() else { fail("\(flag) needs a value") }
            return value
        }
        func number(_ flag: String) -> Int {
            guard let number = Int(value(flag)), number > 0 else { fail("\(flag) needs a positive integer") }
            return number
        }
        while let argument = iterator.next() {
            switch argument {
            case "--binary": binary = value(argument)
            case "--scenario":
                guard let scenario = Scenario(rawValue: value(argument)) else {
                    fail("--scenario is mix, updates, history or query")
                }
                options.scenario = scenario
            case "--requests": options.requests = number(argument)
            case "--contacts": options.contacts = number(argument)
            case "--in-flight": options.inFlight = number(argument)
            case "--gets":
                guard let percent = Int(value(argument)), (0...100).contains(percent) else {
                    fail("--gets takes a percentage, 0 to 100")
                }
                options.getPercent = percent
            case "--seed": options.seed = UInt64(number(argument))
            case "--db": options.db = value(argument)
            case "--history-db": options.historyDB = value(argument)
            case "--history-entries": options.historyEntries = number(argument)
            case "--history-contacts": options.historyContacts = number(argument)
            case "--history-requests": options.historyRequests = number(argument)
            case "--history-in-flight": options.historyInFlight = number(argument)
            case "--query-db": options.queryDB = value(argument)
            case "--query-contacts": options.queryContacts = number(argument)
            case "--query-requests": options.queryRequests = number(argument)
            case "--json": options.jsonOnly = true
            case "--no-predict": options.predictRevisions = false
            case "--no-floor": options.floor = false
            case "-h", "--help":
                print(usage)
                exit(0)
            default: fail("unknown argument \(argument)")
            }
        }
        options.binary = binary ?? ProcessInfo.processInfo.environment["GATEWAY_BENCH_BINARY"] ?? defaultBinary()
        guard FileManager.default.isExecutableFile(atPath: options.binary) else {
            fail("no gateway executable at \(options.binary); build it with\n"
                + "  swift build -c release --product contacts-gateway --static-swift-stdlib --scratch-path .build-bench\n"
                + "from the repo root, or pass --binary PATH")
        }
        return options
    }

    /// `../../.build-bench/release/contacts-gateway` seen from `Benchmarks/GatewayBenchmark`,
    /// looked up from the current directory and from where this executable lives.
    static func defaultBinary() -> String {
        let relative = ".build-bench/release/contacts-gateway"
        let cwd = FileManager.default.currentDirectoryPath
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
        let candidates = [
            "\(cwd)/../../\(relative)",
            "\(cwd)/\(relative)",
            "\(cwd)/../\(relative)",
            // Benchmarks/GatewayBenchmark/.build/release/gateway-benchmark
            "\(executable)/../../../../\(relative)",
        ]
        let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
        return URL(fileURLWithPath: found).standardizedFileURL.path
    }
}

/// Prints `message` to stderr and exits with status 2.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("gateway-benchmark: \(message)\n".utf8))
    exit(2)
}

/// Prints progress to stderr, so that stdout holds only the report.
func progress(_ message: String) {
    FileHandle.standardError.write(Data("[bench] \(message)\n".utf8))
}

/// A small, fast, seedable generator (SplitMix64), so runs with one seed send the same requests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
