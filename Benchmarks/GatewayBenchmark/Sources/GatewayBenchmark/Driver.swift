import Foundation

/// A workload the ``Driver`` runs: it writes request lines and hears about their responses,
/// both on the driver thread, so workloads keep their state without locks.
protocol Workload: AnyObject {
    /// Appends the complete request line (with `\n`) for request `index`, using JSON-RPC `id`.
    func appendRequest(index: Int, id: Int, to output: inout [UInt8])
    /// Called once per response, with the latency from write to read in nanoseconds.
    func handle(index: Int, response: Response, latency: UInt64)
}

/// Keeps a fixed number of requests outstanding on one gateway: whenever fewer than
/// `inFlight` are unanswered, the next requests are written in one batch.
final class Driver {
    let gateway: GatewayProcess
    let queue: ResponseQueue
    /// Ids are unique over the whole session, so a late line can never be taken for another.
    private var nextID = 1
    private var responses: [Response] = []
    private var output: [UInt8] = []
    /// Lines whose id belonged to no running request.
    private(set) var unexpected = 0

    init(gateway: GatewayProcess, queue: ResponseQueue) {
        self.gateway = gateway
        self.queue = queue
        responses.reserveCapacity(4096)
        output.reserveCapacity(1 << 16)
    }

    /// Runs `count` requests of `workload` with at most `inFlight` outstanding. Returns the
    /// time of the first write and of the last response.
    @discardableResult
    func run(_ workload: some Workload, count: Int, inFlight: Int) -> (start: UInt64, end: UInt64) {
        let base = nextID
        nextID += count
        var sentAt = [UInt64](repeating: 0, count: count)
        var sent = 0
        var done = 0
        var outstanding = 0
        let start = now()
        var end = start
        while done < count {
            if outstanding < inFlight && sent < count {
                output.removeAll(keepingCapacity: true)
                let first = sent
                while outstanding < inFlight && sent < count {
                    workload.appendRequest(index: sent, id: base + sent, to: &output)
                    sent += 1
                    outstanding += 1
                }
                let time = now()
                for index in first..<sent { sentAt[index] = time }
                gateway.write(output)
            }
            let ended = queue.take(wait: true, into: &responses)
            for response in responses {
                let index = response.id - base
                guard index >= 0 && index < sent && sentAt[index] != 0 else {
                    unexpected += 1
                    continue
                }
                let latency = response.receivedAt &- sentAt[index]
                sentAt[index] = 0  // answered; a duplicate would count as unexpected
                workload.handle(index: index, response: response, latency: latency)
                outstanding -= 1
                done += 1
                end = max(end, response.receivedAt)
            }
            if ended && done < count {
                fail("the gateway closed stdout after \(done) of \(count) responses; see its stderr log")
            }
        }
        return (start, end)
    }
}

extension Array where Element == UInt8 {
    /// Appends a static ASCII fragment.
    @inline(__always) mutating func append(_ text: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends a non-negative decimal integer without going through `String`.
    @inline(__always) mutating func append(decimal value: Int) {
        if value < 10 {
            append(UInt8(48 + value))
            return
        }
        var digits = 0
        var rest = value
        while rest > 0 { digits += 1; rest /= 10 }
        let end = count + digits
        append(contentsOf: repeatElement(UInt8(48), count: digits))
        rest = value
        for position in stride(from: end - 1, through: end - digits, by: -1) {
            self[position] = UInt8(48 + rest % 10)
            rest /= 10
        }
    }
}

/// A workload of requests that are all the same apart from their id, fixed ahead of time.
final class FixedWorkload: Workload {
    private let lines: [[UInt8]]
    private(set) var latencies: [UInt64] = []
    private(set) var errors = 0
    /// The responses by request index, when kept.
    private(set) var responses: [Response?]

    /// Which requests' latencies are kept (all, unless only some are the ones measured).
    private let timed: (Int) -> Bool

    /// `bodies[i]` is everything after `"id":N` for request `i`, e.g. `,"method":"x"}`; only the
    /// latencies of the requests `timed` accepts are kept.
    init(bodies: [String], keepResponses: Bool = false, timed: @escaping (Int) -> Bool = { _ in true }) {
        lines = bodies.map { Array($0.utf8) }
        self.timed = timed
        responses = keepResponses ? Array(repeating: nil, count: bodies.count) : []
        latencies.reserveCapacity(bodies.count)
    }

    func appendRequest(index: Int, id: Int, to output: inout [UInt8]) {
        output.append(#"{"jsonrpc":"2.0","id":"#)
        output.append(decimal: id)
        output.append(contentsOf: lines[index])
        output.append(UInt8(ascii: "\n"))
    }

    func handle(index: Int, response: Response, latency: UInt64) {
        if timed(index) { latencies.append(latency) }
        if response.errorCode != 0 { errors += 1 }
        if !responses.isEmpty { responses[index] = response }
    }
}
