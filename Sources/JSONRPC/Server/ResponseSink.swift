import JSONCore

/// Where the response to one message goes: its own line, or a slot of a batch response.
enum ResponseSink: Sendable {
    case line(OutputWriter)
    case batch(BatchCollector)

    /// Sends the response for `id`. `wakingWriter: false` is for the reader thread, which wakes
    /// the writer once it has answered what it read (``OutputWriter/enqueue(_:wakingWriter:)``).
    func deliver(id: RequestID, outcome: Result<JSONValue, ResponseError>, wakingWriter: Bool = true) {
        switch self {
        case .line(let writer):
            writer.enqueue(ResponseEncoder.line(id: id, outcome: outcome), wakingWriter: wakingWriter)
        case .batch(let collector):
            var element: [UInt8] = []
            element.reserveCapacity(128)
            ResponseEncoder.write(id: id, outcome: outcome, to: &element)
            collector.add(element)
        }
    }

    /// Records that the message gets no response (a notification), so a batch can complete.
    func deliverNothing() {
        if case .batch(let collector) = self { collector.add(nil) }
    }
}

/// Gathers the responses of one batch and writes them as one array line when the last one is in.
///
/// Notifications leave no entry; a batch of notifications only writes nothing at all.
final class BatchCollector: @unchecked Sendable {
    private let writer: OutputWriter
    private let mutex = PThreadMutex()
    private var remaining: Int
    private var output: [UInt8] = [UInt8(ascii: "[")]
    private var isEmpty = true

    /// A batch that expects one `add` per element.
    init(elementCount: Int, writer: OutputWriter) {
        self.remaining = elementCount
        self.writer = writer
    }

    /// Adds one element's response, or `nil` for an element that has none.
    func add(_ element: [UInt8]?) {
        mutex.lock()
        if let element {
            if !isEmpty { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: element)
            isEmpty = false
        }
        remaining -= 1
        let complete = remaining == 0
        mutex.unlock()
        // The last `add` is the only one left touching `output`.
        guard complete, !isEmpty else { return }
        output.append(contentsOf: "]\n".utf8)
        writer.enqueue(output)
    }
}
