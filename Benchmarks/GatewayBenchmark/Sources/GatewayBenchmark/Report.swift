import Foundation

/// Percentiles of a set of latencies, in milliseconds.
struct LatencySummary {
    var count: Int
    var p50: Double
    var p90: Double
    var p99: Double
    var max: Double

    /// Nearest-rank percentiles of `nanoseconds`.
    init(_ nanoseconds: [UInt64]) {
        let sorted = nanoseconds.sorted()
        count = sorted.count
        func rank(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = Swift.min(sorted.count - 1, Swift.max(0, Int((fraction * Double(sorted.count)).rounded(.up)) - 1))
            return Double(sorted[index]) / 1e6
        }
        p50 = rank(0.50)
        p90 = rank(0.90)
        p99 = rank(0.99)
        max = rank(1.0)
    }

    var json: JSON {
        .object([("count", .int(count)), ("p50Ms", .number(p50)), ("p90Ms", .number(p90)),
                 ("p99Ms", .number(p99)), ("maxMs", .number(max))])
    }

    /// `p50 0.412  p90 0.800  p99 1.912  max 4.003 ms`
    var text: String {
        "p50 \(ms(p50))  p90 \(ms(p90))  p99 \(ms(p99))  max \(ms(max)) ms"
    }
}

/// Three decimals, padded for columns.
func ms(_ value: Double) -> String {
    let text = String(format: "%.3f", value)
    return String(repeating: " ", count: Swift.max(0, 8 - text.count)) + text
}

/// A JSON value with ordered keys, enough for the final report line.
indirect enum JSON {
    case int(Int)
    case number(Double)
    case string(String)
    case bool(Bool)
    case array([JSON])
    case object([(String, JSON)])

    var rendered: String {
        switch self {
        case .int(let value): return String(value)
        case .number(let value): return value.isFinite ? String(format: "%.3f", value) : "null"
        case .bool(let value): return value ? "true" : "false"
        case .string(let value):
            var out = "\""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        case .array(let values): return "[" + values.map(\.rendered).joined(separator: ",") + "]"
        case .object(let pairs):
            return "{" + pairs.map { JSON.string($0.0).rendered + ":" + $0.1.rendered }.joined(separator: ",") + "}"
        }
    }
}

/// What the gateway process looked like at the end of a run.
struct ProcessFigures {
    var peakRSSMB: Double
    var gatewayCPUSeconds: Double
    var benchmarkCPUSeconds: Double
    var threads: [(name: String, seconds: Double)]
    var exitCode: Int32
    var exitMs: Double

    /// Samples `gateway` (before stdin is closed), then closes stdin and waits for the exit.
    static func finish(_ gateway: GatewayProcess) -> ProcessFigures {
        let peak = Double(gateway.statusKB("VmHWM") ?? 0) / 1024
        let cpu = gateway.cpuSeconds()
        let threads = gateway.threadCPU()
        let own = ownCPUSeconds()
        let exit = gateway.closeAndWait()
        return ProcessFigures(peakRSSMB: peak, gatewayCPUSeconds: cpu, benchmarkCPUSeconds: own,
                              threads: threads, exitCode: exit.status, exitMs: exit.milliseconds)
    }

    var json: [(String, JSON)] {
        [("peakRSSMB", .number(peakRSSMB)), ("gatewayCPUSeconds", .number(gatewayCPUSeconds)),
         ("benchmarkCPUSeconds", .number(benchmarkCPUSeconds)),
         ("gatewayThreads", .object(threads.prefix(8).map { ($0.name, .number($0.seconds)) })),
         ("exitCode", .int(Int(exitCode))), ("exitMs", .number(exitMs))]
    }

    var text: String {
        let busiest = threads.prefix(5).map { "\($0.name) \(String(format: "%.2f", $0.seconds))s" }
        return """
            peak RSS (VmHWM)       \(String(format: "%.1f", peakRSSMB)) MB
            CPU                    gateway \(String(format: "%.2f", gatewayCPUSeconds)) s, \
            benchmark \(String(format: "%.2f", benchmarkCPUSeconds)) s (whole run)
            gateway threads        \(threads.count), busiest: \(busiest.joined(separator: ", "))
            exit                   code \(exitCode) after \(String(format: "%.1f", exitMs)) ms
            """
    }
}

/// A temporary directory for databases and the gateway's stderr log.
func makeTemporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "gateway-benchmark-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        fail("cannot create \(path): \(error)")
    }
    return path
}

/// CPU time of the whole machine, the gateway and this process at one moment, so that a run
/// can tell how much of the 2 cores other processes (other builds, other benchmarks) took.
struct CPUSample {
    var time = now()
    var machine = CPUSample.machineBusySeconds()
    var gateway: Double
    var own = ownCPUSeconds()

    init(_ gateway: GatewayProcess) { self.gateway = gateway.cpuSeconds() }

    /// Busy (non-idle, non-iowait) seconds of all cores from the first line of `/proc/stat`.
    static func machineBusySeconds() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first else { return 0 }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 8 else { return 0 }
        // user nice system idle iowait irq softirq steal
        let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Average cores used between `start` and `self` by the gateway, by us, and by everything else.
    func cores(since start: CPUSample) -> (gateway: Double, benchmark: Double, others: Double) {
        let seconds = Double(time - start.time) / 1e9
        guard seconds > 0 else { return (0, 0, 0) }
        let gatewayCores = (gateway - start.gateway) / seconds
        let ownCores = (own - start.own) / seconds
        let machineCores = (machine - start.machine) / seconds
        return (gatewayCores, ownCores, Swift.max(0, machineCores - gatewayCores - ownCores))
    }
}

/// `"cores": {gateway, benchmark, others}` for the JSON line, and its text form.
func coresReport(_ cores: (gateway: Double, benchmark: Double, others: Double)) -> (json: JSON, text: String) {
    let json = JSON.object([("gateway", .number(cores.gateway)), ("benchmark", .number(cores.benchmark)),
                            ("otherProcesses", .number(cores.others))])
    let text = String(format: "gateway %.2f, benchmark %.2f, other processes %.2f (of 2)",
                      cores.gateway, cores.benchmark, cores.others)
    return (json, text)
}
