import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the driver needs from one response line, found by scanning bytes (no JSON parsing).
struct Response {
    /// The numeric request id.
    var id: Int
    /// When the chunk holding the line was read (monotonic ns).
    var receivedAt: UInt64
    /// `error.code`, or 0 for a result.
    var errorCode: Int
    /// Whether the error carries `currentRevision` (CONTACT_ALREADY_CHANGED).
    var isConflict: Bool
    /// The first `"revision":` in a result, or `currentRevision` on a conflict; -1 when absent.
    var revision: Int
    /// `result.contact.id`, only while the queue asks for it (seeding).
    var contactId: String?
    /// `result.contact` as the gateway wrote it, with `contactId`.
    var contactJSON: String?
    /// `result.writer` of a `gateway.status` answer, with `contactId`.
    var writer: WriterReading?
}

/// What `gateway.status` says the gateway's one writer has done so far.
struct WriterReading {
    var writes: Double
    var transactions: Double
    var busySeconds: Double
    var cpuSeconds: Double
    var syncs: Double
    var syncSeconds: Double
    /// Where the writes' time went, each phase summed over them (`nil` from a gateway that does
    /// not report it): waiting for the writer, in their transaction, waiting for the log sync
    /// after the commit, and waiting for their task to run again after the answer.
    var phases: (queued: Double, transaction: Double, awaitingSync: Double, resuming: Double)?
    /// The checkpoints the writer ran itself after a commit and their seconds (`nil` from a
    /// gateway that does not report them).
    var checkpoints: (count: Double, seconds: Double)?

    /// Reads `"writer":{…}` from a `gateway.status` answer.
    init?(_ line: UnsafeBufferPointer<UInt8>) {
        guard let start = find("\"writer\":{", in: line) else { return nil }
        func number(_ key: StaticString) -> Double? {
            guard let at = find(key, in: line, from: start) else { return nil }
            var end = at
            while end < line.count, line[end] != UInt8(ascii: ","), line[end] != UInt8(ascii: "}") { end += 1 }
            return Double(String(decoding: UnsafeBufferPointer(rebasing: line[at..<end]), as: UTF8.self))
        }
        guard let writes = number("\"writes\":"), let transactions = number("\"transactions\":"),
            let busy = number("\"busySeconds\":"), let cpu = number("\"cpuSeconds\":"),
            let syncs = number("\"syncs\":"), let syncSeconds = number("\"syncSeconds\":")
        else { return nil }
        (self.writes, self.transactions, busySeconds, cpuSeconds) = (writes, transactions, busy, cpu)
        (self.syncs, self.syncSeconds) = (syncs, syncSeconds)
        if let queued = number("\"queuedSeconds\":"), let transaction = number("\"transactionSeconds\":"),
            let awaitingSync = number("\"awaitingSyncSeconds\":"), let resuming = number("\"resumingSeconds\":")
        {
            phases = (queued, transaction, awaitingSync, resuming)
        }
        if let count = number("\"checkpoints\":"), let seconds = number("\"checkpointSeconds\":") {
            checkpoints = (count, seconds)
        }
    }
}

/// Hands responses from the reader thread to the driver thread, one lock per read chunk.
final class ResponseQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [Response] = []
    private var ended = false
    private var captureIDs = false
    /// Bytes of any line that had no numeric id (should stay empty).
    private(set) var strayLines: [String] = []

    /// Makes the reader extract `result.contact.id` (costs a String per response).
    func setCaptureContactIDs(_ on: Bool) {
        condition.lock(); captureIDs = on; condition.unlock()
    }

    fileprivate var capturesContactIDs: Bool {
        condition.lock(); defer { condition.unlock() }
        return captureIDs
    }

    fileprivate func push(_ batch: [Response], stray: [String], end: Bool) {
        condition.lock()
        pending.append(contentsOf: batch)
        strayLines.append(contentsOf: stray)
        if end { ended = true }
        condition.signal()
        condition.unlock()
    }

    /// Takes every queued response; waits for one first when `wait` is true. Returns the
    /// responses and whether stdout reached EOF.
    func take(wait: Bool, into buffer: inout [Response]) -> Bool {
        condition.lock()
        while wait && pending.isEmpty && !ended { condition.wait() }
        swap(&buffer, &pending)
        pending.removeAll(keepingCapacity: true)
        let end = ended
        condition.unlock()
        return end
    }
}

/// Starts a thread that reads the gateway's stdout in 1 MiB chunks until EOF.
func startReader(fd: Int32, queue: ResponseQueue) {
    let thread = Thread {
        let capacity = 1 << 20
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        var carry: [UInt8] = []  // a line split across two reads
        var batch: [Response] = []
        batch.reserveCapacity(4096)
        while true {
            let count = read(fd, buffer, capacity)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 {
                queue.push([], stray: [], end: true)
                return
            }
            let receivedAt = now()
            let capture = queue.capturesContactIDs
            var stray: [String] = []
            func parse(_ line: UnsafeBufferPointer<UInt8>) {
                if let response = parseResponse(line, receivedAt: receivedAt, captureContactID: capture) {
                    batch.append(response)
                } else {
                    stray.append(String(decoding: line.prefix(300), as: UTF8.self))
                }
            }
            var start = 0
            while let hit = memchr(buffer + start, 0x0A, count - start) {
                let index = hit.assumingMemoryBound(to: UInt8.self) - buffer
                if carry.isEmpty {
                    parse(UnsafeBufferPointer(start: buffer + start, count: index - start))
                } else {
                    carry.append(contentsOf: UnsafeBufferPointer(start: buffer + start, count: index - start))
                    carry.withUnsafeBufferPointer { parse($0) }
                    carry.removeAll(keepingCapacity: true)
                }
                start = index + 1
            }
            carry.append(contentsOf: UnsafeBufferPointer(start: buffer + start, count: count - start))
            queue.push(batch, stray: stray, end: false)
            batch.removeAll(keepingCapacity: true)
        }
    }
    thread.name = "bench-reader"
    thread.stackSize = 1 << 20
    thread.start()
}

/// Finds `needle` in `line` at or after `from`; returns the index just past it.
@inline(__always)
func find(_ needle: StaticString, in line: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
    let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
    let first = pattern[0]
    var index = from
    let last = line.count - pattern.count
    outer: while index <= last {
        if line[index] == first {
            for offset in 1..<pattern.count where line[index + offset] != pattern[offset] {
                index += 1
                continue outer
            }
            return index + pattern.count
        }
        index += 1
    }
    return nil
}

/// Reads an optionally negative decimal integer at `index`.
@inline(__always)
func integer(in line: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
    var position = index
    var negative = false
    if position < line.count && line[position] == UInt8(ascii: "-") { negative = true; position += 1 }
    var value = 0
    let first = position
    while position < line.count, line[position] >= 48, line[position] <= 57 {
        value = value * 10 + Int(line[position] - 48)
        position += 1
    }
    return position == first ? nil : (negative ? -value : value)
}

/// The encoder writes `{"jsonrpc":"2.0","id":N,"result":…}` or `…,"error":{"code":…}`.
func parseResponse(_ line: UnsafeBufferPointer<UInt8>, receivedAt: UInt64, captureContactID: Bool) -> Response? {
    guard let idStart = find("\"id\":", in: line), let id = integer(in: line, at: idStart) else { return nil }
    var response = Response(id: id, receivedAt: receivedAt, errorCode: 0, isConflict: false, revision: -1)
    var idEnd = idStart
    while idEnd < line.count && line[idEnd] != UInt8(ascii: ",") { idEnd += 1 }
    // `,"error":{"code":` follows the id directly; never scan a large result for it.
    let errorPattern: StaticString = ",\"error\":{\"code\":"
    if idEnd + errorPattern.utf8CodeUnitCount <= line.count,
       let errorStart = find(errorPattern, in: UnsafeBufferPointer(rebasing: line[..<(idEnd + errorPattern.utf8CodeUnitCount)]), from: idEnd) {
        response.errorCode = integer(in: line, at: errorStart) ?? -1
        if let revisionStart = find("\"currentRevision\":", in: line, from: errorStart) {
            response.isConflict = true
            response.revision = integer(in: line, at: revisionStart) ?? -1
        }
        return response
    }
    if let revisionStart = find("\"revision\":", in: line, from: idStart) {
        response.revision = integer(in: line, at: revisionStart) ?? -1
    }
    if captureContactID { response.writer = WriterReading(line) }
    if captureContactID, let contactStart = find("\"contact\":{", in: line, from: idStart) {
        response.contactId = topLevelString("id", in: line, objectStart: contactStart)
        if let end = objectEnd(in: line, objectStart: contactStart) {
            response.contactJSON = String(decoding: UnsafeBufferPointer(rebasing: line[(contactStart - 1)..<end]), as: UTF8.self)
        }
    }
    return response
}

/// The index just past the `}` closing the object that starts at `objectStart` (just past its
/// `{`), skipping strings.
func objectEnd(in line: UnsafeBufferPointer<UInt8>, objectStart: Int) -> Int? {
    var depth = 0
    var index = objectStart
    while index < line.count {
        switch line[index] {
        case UInt8(ascii: "\""):
            index += 1
            while index < line.count && line[index] != UInt8(ascii: "\"") {
                index += line[index] == UInt8(ascii: "\\") ? 2 : 1
            }
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            if depth == 0 { return index + 1 }
            depth -= 1
        default:
            break
        }
        index += 1
    }
    return nil
}

/// The string value of `key` directly inside the object that starts at `objectStart` (just
/// past its `{`), skipping nested objects, arrays and strings.
func topLevelString(_ key: String, in line: UnsafeBufferPointer<UInt8>, objectStart: Int) -> String? {
    let pattern = Array("\"\(key)\":\"".utf8)
    var depth = 0
    var index = objectStart
    while index < line.count {
        let byte = line[index]
        if byte == UInt8(ascii: "\"") {
            if depth == 0, index + pattern.count <= line.count,
               pattern.indices.allSatisfy({ line[index + $0] == pattern[$0] }) {
                let valueStart = index + pattern.count
                var end = valueStart
                while end < line.count && line[end] != UInt8(ascii: "\"") { end += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: line[valueStart..<end]), as: UTF8.self)
            }
            index += 1  // skip the string, honouring escapes
            while index < line.count && line[index] != UInt8(ascii: "\"") {
                index += line[index] == UInt8(ascii: "\\") ? 2 : 1
            }
        } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
            depth += 1
        } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
            if depth == 0 { return nil }
            depth -= 1
        }
        index += 1
    }
    return nil
}
