import JSONCore
import Logging

/// The state of one ``StdioServer/run()``: in-flight requests, ordering chains, cancellation and
/// the stop decision. Generic over the handler so the hot path calls it without an existential.
///
/// Threads: the reader thread dispatches (see `ServerSession+Reading.swift`), one `Task` per
/// request runs the handler, the writer thread writes. Everything shared sits behind `mutex`.
final class ServerSession<Handler: RPCMethodHandler>: @unchecked Sendable {
    let configuration: ServerConfiguration
    let handler: Handler
    let logger: Logger
    let writer: OutputWriter
    let wakeUp = SelfPipe()

    // MARK: State guarded by `mutex`
    //
    // `@exclusivity(unchecked)`: Swift's run-time check of each access (a lookup in a per-thread
    // access set, twice a request for each table) only catches two overlapping accesses on one
    // thread, and none of these calls out while it accesses them; `mutex` orders the threads.

    private let mutex = PThreadMutex()
    /// Signalled when a request finishes; the reader waits on it for a free slot or for the end.
    private let slotFreed = PThreadCondition()
    @exclusivity(unchecked) private var inFlight = 0
    @exclusivity(unchecked) private var nextSequence: UInt64 = 0
    @exclusivity(unchecked) private var stopReason: StopReason?
    @exclusivity(unchecked) private var outputClosed = false
    /// Requests with an id, for `$/cancelRequest`.
    @exclusivity(unchecked) private var running: [RequestID: TrackedRequest] = [:]
    /// The last request of each ordering key; the next one with that key waits for it (a request
    /// with several keys waits for the tail of each, and becomes the tail of each).
    @exclusivity(unchecked) private var chainTails: [String: TrackedRequest] = [:]

    init(configuration: ServerConfiguration, handler: Handler, logger: Logger) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        self.writer = OutputWriter(fd: configuration.outputFD, logger: logger)
    }

    // MARK: - Stopping

    /// Asks the reader to stop; the first reason wins. Safe from any thread.
    func requestStop(_ reason: StopReason) {
        mutex.lock()
        if stopReason == nil { stopReason = reason }
        slotFreed.broadcast()
        mutex.unlock()
        writer.releaseSpaceWaiters()
        wakeUp.wake()
    }

    /// The stop reason, once a stop was requested.
    var pendingStop: StopReason? {
        mutex.withLock { stopReason }
    }

    /// Called by the writer thread when the output failed: nobody can read answers any more, so
    /// in-flight work is cancelled and the reader stops.
    func outputDidClose() {
        let tasks: [Task<Void, Never>] = mutex.withLock {
            outputClosed = true
            return running.values.map(\.task)
        }
        for task in tasks { task.cancel() }
        requestStop(.outputClosed)
    }

    /// Blocks the reader thread until every dispatched request has finished.
    func waitUntilIdle() {
        mutex.lock()
        while inFlight > 0 { slotFreed.wait(mutex) }
        mutex.unlock()
    }

    // MARK: - Dispatch (reader thread)

    /// Starts one valid request or notification.
    func dispatch(_ request: RPCRequest, sink: ResponseSink) {
        // Only notifications can cancel, so requests with an id (the hot path) skip the search.
        if request.id == nil,
            let cancel = configuration.cancelNotifications.first(where: { $0.method == request.method })
        {
            sink.deliverNothing()
            cancelRequest(named: request.params?[cancel.idParam])
            return
        }
        if request.method.utf8.starts(with: "$/".utf8) {
            handleProtocolMethod(request, sink: sink)
            return
        }
        // Computed here, on the reader thread, so keys see requests in arrival order.
        let keys = handler.orderingKeys(for: request)

        // The fast path: answered here when nothing earlier on any of its keys is still running.
        if let id = request.id {
            let keysAreBusy = !keys.isEmpty && mutex.withLock { keys.contains { chainTails[$0] != nil } }
            if !keysAreBusy, let outcome = handler.handleImmediately(request) {
                // The reader wakes the writer thread once it has handled what it read.
                sink.deliver(id: id, outcome: outcome, wakingWriter: false)
                return
            }
        }

        mutex.lock()
        // Back-pressure: the reader blocks here instead of buffering requests without limit.
        // A stop request lets the rest of the current line through so every read request is
        // answered.
        while inFlight >= configuration.maxInFlight && stopReason == nil {
            // Answers this thread queued must not wait for a slot to be written.
            writer.wakeIfPending()
            slotFreed.wait(mutex)
        }
        if outputClosed {
            mutex.unlock()
            sink.deliverNothing()
            return
        }
        inFlight += 1
        nextSequence &+= 1
        let sequence = nextSequence
        let predecessors = chainPredecessors(of: keys)
        // Created under the lock so that the task's `complete` cannot run before it is recorded.
        let task = Task.detached { [self] in
            for predecessor in predecessors { await predecessor.value }
            await execute(request, sink: sink)
            complete(sequence: sequence, id: request.id, keys: keys)
        }
        let tracked = TrackedRequest(sequence: sequence, task: task)
        for key in keys { chainTails[key] = tracked }
        if let id = request.id { running[id] = tracked }
        mutex.unlock()

        if request.id == nil { sink.deliverNothing() }
    }

    /// The tasks a request with `keys` waits for: the current tail of each key's chain, each
    /// once. Call with `mutex` held.
    ///
    /// A tail ran only after the tail before it on the same key, so once every tail here has
    /// finished, every earlier request sharing any key has finished: arrival order per key.
    /// Every tail was dispatched before this request, so waits only point back in arrival order
    /// and cannot form a cycle, whatever keys requests combine.
    private func chainPredecessors(of keys: [String]) -> [Task<Void, Never>] {
        // No key path (`map(\.task)`) here: in a generic class it is instantiated on every call.
        var tails: [Task<Void, Never>] = []
        for key in keys {
            guard let tail = chainTails[key]?.task, !tails.contains(tail) else { continue }
            tails.append(tail)
        }
        return tails
    }

    /// `$/` methods belong to the protocol, not to the handler.
    private func handleProtocolMethod(_ request: RPCRequest, sink: ResponseSink) {
        guard request.id == nil else {
            // `$/cancelRequest` is a notification too; as a request it is not understood.
            sink.deliver(id: request.id!, outcome: .failure(.methodNotFound(request.method)))
            return
        }
        // Other `$/` notifications are ignored (a configured cancel notification never gets here).
        sink.deliverNothing()
    }

    /// Cancels the in-flight request whose id is `idValue` (a cancel notification's param), if any.
    private func cancelRequest(named idValue: JSONValue?) {
        guard let target = idValue.flatMap(RequestID.init) else { return }
        let task: Task<Void, Never>? = mutex.withLock {
            running[target]?.task ?? target.numericAlias.flatMap { running[$0]?.task }
        }
        logger.trace("Cancel request.", metadata: ["id": "\(target)", "found": "\(task != nil)"])
        task?.cancel()
    }

    // MARK: - Execution (request tasks)

    /// Runs the handler and sends exactly one response for a request (none for a notification).
    ///
    /// A cancelled request is answered `-32800` when the handler had not started or threw
    /// because of the cancellation. A handler that returns a result (or a ``ResponseError``)
    /// despite the cancellation had already done its work, so that answer is sent instead:
    /// saying "cancelled" about a change that was committed would mislead the caller.
    private func execute(_ request: RPCRequest, sink: ResponseSink) async {
        let outcome: Result<JSONValue, ResponseError>
        if Task.isCancelled {
            outcome = .failure(.requestCancelled())
        } else {
            do {
                let writer = self.writer
                let notifier = RPCNotifier { writer.enqueue($0) }
                outcome = .success(
                    try await RPCNotifier.$current.withValue(notifier) { try await handler.handle(request) })
            } catch {
                outcome = .failure(responseError(for: error, method: request.method))
            }
        }
        deliver(outcome, to: request, sink: sink)
    }

    /// What a handler's error answers. Not inlined, like ``deliver(_:to:sink:)``: what they hold
    /// then stays out of ``execute(_:sink:)``'s async frame, which the task allocates for every
    /// request.
    @inline(never)
    private func responseError(for error: any Error, method: String) -> ResponseError {
        if let error = error as? ResponseError { return error }
        if error is CancellationError || Task.isCancelled { return .requestCancelled() }
        // The client gets a generic message; the details stay in the log.
        logger.error(
            "A handler failed with an unexpected error.",
            metadata: ["method": "\(method)", "error": "\(String(reflecting: error))"]
        )
        return .internalError()
    }

    /// Sends the answer to `request` (none for a notification).
    @inline(never)
    private func deliver(_ outcome: Result<JSONValue, ResponseError>, to request: RPCRequest, sink: ResponseSink) {
        guard let id = request.id else {
            if case .failure(let error) = outcome {
                logger.debug("A notification failed.", metadata: ["method": "\(request.method)", "error": "\(error)"])
            }
            return
        }
        sink.deliver(id: id, outcome: outcome)
    }

    private func complete(sequence: UInt64, id: RequestID?, keys: [String]) {
        mutex.lock()
        inFlight -= 1
        if let id, running[id]?.sequence == sequence { running[id] = nil }
        for key in keys where chainTails[key]?.sequence == sequence { chainTails[key] = nil }
        slotFreed.signal()
        mutex.unlock()
    }
}

/// A dispatched request: its sequence number tells a stale table entry from the current one.
///
/// Outside ``ServerSession``: nested in the generic class it would be generic too, and so would
/// the tables keyed to it, their metadata looked up and their code run unspecialized for every
/// request (about 5,000 instructions each).
private struct TrackedRequest {
    let sequence: UInt64
    let task: Task<Void, Never>
}
