import Foundation

/// The harness floor: a stand-in for the gateway that answers each request the moment it reads
/// it, doing none of the work (`gateway-benchmark serve ...`, which is how the driver spawns a
/// gateway). It reads stdin in 1 MiB chunks, finds `"id":`, `"method":"` and `"contactId":"` by
/// byte scanning, keeps each contact's revision (a create makes one at 1, an update or
/// forceUpdate moves it on) so the driver sees what it predicts, and writes the answers to a
/// chunk with one `write(2)`. What the mix achieves against it is what the pipes, the driver and
/// the process round trip allow: every gateway figure is printed beside it.
func runEchoServer() -> Never {
    var revisions: [[UInt8]: Int] = [:]
    var created = 0
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    var pending: [UInt8] = []
    var output: [UInt8] = []
    output.reserveCapacity(1 << 20)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        if count <= 0 { exit(0) }
        pending.append(contentsOf: chunk[0..<count])
        var start = 0
        while let end = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            answer(pending[start..<end], revisions: &revisions, created: &created, to: &output)
            start = end + 1
        }
        pending.removeFirst(start)
        var written = 0
        while written < output.count {
            let result = output[written...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { exit(1) }
            written += result
        }
        output.removeAll(keepingCapacity: true)
    }
}

/// Appends the answer to one request line.
private func answer(
    _ line: ArraySlice<UInt8>, revisions: inout [[UInt8]: Int], created: inout Int, to output: inout [UInt8]
) {
    func value(after key: String, until terminators: Set<UInt8>) -> ArraySlice<UInt8>? {
        let pattern = Array(key.utf8)
        guard line.count >= pattern.count else { return nil }
        var index = line.startIndex
        while index + pattern.count <= line.endIndex {
            if line[index] == pattern[0], line[index..<(index + pattern.count)].elementsEqual(pattern) {
                let start = index + pattern.count
                var end = start
                while end < line.endIndex, !terminators.contains(line[end]) { end += 1 }
                return line[start..<end]
            }
            index += 1
        }
        return nil
    }
    let id = value(after: "\"id\":", until: [UInt8(ascii: ","), UInt8(ascii: "}")]) ?? ArraySlice("null".utf8)
    let method = value(after: "\"method\":\"", until: [UInt8(ascii: "\"")]).map { String(decoding: $0, as: UTF8.self) }
    output.append(contentsOf: #"{"jsonrpc":"2.0","id":"#.utf8)
    output.append(contentsOf: id)
    var contact: [UInt8]?
    var revision = 1
    switch method {
    case "contacts.create":
        created += 1
        contact = Array("echo-\(created)".utf8)
        revisions[contact!] = 1
    case "contacts.get", "contacts.update", "contacts.forceUpdate":
        contact = value(after: "\"contactId\":\"", until: [UInt8(ascii: "\"")]).map(Array.init)
        revision = contact.flatMap { revisions[$0] } ?? 1
        if method != "contacts.get" {
            revision += 1
            if let contact { revisions[contact] = revision }
        }
    default:
        break
    }
    if let contact {
        output.append(contentsOf: #","result":{"contact":{"id":""#.utf8)
        output.append(contentsOf: contact)
        output.append(contentsOf: #"","revision":"#.utf8)
        output.append(contentsOf: String(revision).utf8)
        output.append(contentsOf: "}}}\n".utf8)
    } else {
        output.append(contentsOf: #","result":{}}"#.utf8)
        output.append(UInt8(ascii: "\n"))
    }
}

/// The mix driven against the echo floor (this executable, spawned as `serve`), as the gateway's
/// was: the same seed, requests and window.
func runFloor(_ options: Options, predict: Bool) -> (throughput: Double, latency: LatencySummary, cpuMicros: Double) {
    let directory = makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let session = GatewaySession(
        binary: selfExecutable(), db: "\(directory)/unused.sqlite", log: "\(directory)/echo-stderr.log")
    let seed = session.createContacts(options.contacts, inFlight: options.inFlight, tag: "floor")
    let workload = MixWorkload(
        contactIDs: seed.ids, requests: options.requests, seed: options.seed, predict: predict,
        getPercent: UInt64(options.getPercent))
    let before = CPUSample(session.gateway)
    let window = session.driver.run(workload, count: options.requests, inFlight: options.inFlight)
    let after = CPUSample(session.gateway)
    _ = ProcessFigures.finish(session.gateway)
    let seconds = Double(window.end - window.start) / 1e9
    return (
        Double(options.requests) / seconds, LatencySummary(workload.latencies.flatMap { $0 }),
        (after.gateway - before.gateway) / Double(options.requests) * 1e6
    )
}

/// This executable's path, to spawn it as the echo floor.
func selfExecutable() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    if length > 0 { return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
    return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
}
