#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
public import Logging

/// A JSON-RPC 2.0 server over line-delimited stdio (or any pair of file descriptors).
///
/// One message per line in, one response per line out. Requests run concurrently, each in its own
/// task; requests sharing any of their ``RPCMethodHandler/orderingKeys(for:)`` run one after
/// another in arrival order. Batches, notifications, `$/cancelRequest`, overlong lines and parse errors are
/// handled as JSON-RPC 2.0 and the product SPEC (§2) require. The server knows nothing of the
/// methods it serves.
///
/// ```swift
/// let protocolFD = StandardOutputGuard.takeOverStandardOutput()
/// let server = StdioServer(
///     configuration: ServerConfiguration(outputFD: protocolFD, handlesSignals: true),
///     handler: Methods(),
///     logger: Logger(label: "gateway")
/// )
/// switch await server.run() {
/// case .endOfInput, .signal: closeDatabases(); exit(0)
/// case .outputClosed: exit(0)
/// }
/// ```
///
/// Threads: a dedicated reader thread blocks in `poll(2)` on the input and a wake-up pipe (never
/// sleep-polling), and a dedicated writer thread coalesces responses into few `write(2)` calls.
/// Neither blocks the Swift concurrency pool.
public final class StdioServer: Sendable {
    private let configuration: ServerConfiguration
    private let handler: any RPCMethodHandler
    private let logger: Logger

    /// A server that reads `configuration.inputFD` and writes `configuration.outputFD` when run.
    ///
    /// - Parameters:
    ///   - configuration: Descriptors and limits.
    ///   - handler: Answers the requests.
    ///   - logger: Per-request events are logged at `trace`/`debug` only; unexpected handler
    ///     errors at `error`. Give it a stderr or file handler, never stdout.
    public init(configuration: ServerConfiguration, handler: some RPCMethodHandler, logger: Logger) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
    }

    /// Serves until end of input, a signal (when `handlesSignals`) or a closed output, then
    /// returns how it ended.
    ///
    /// On end of input or the first SIGTERM/SIGINT it stops reading, lets every request already
    /// read finish, writes every response, then returns; a second signal exits the process at
    /// once (`_exit(143)` for SIGTERM, `_exit(130)` for SIGINT). When the peer closes the output
    /// (EPIPE) in-flight requests are cancelled, their responses dropped, and it returns
    /// ``StopReason/outputClosed`` without a crash: SIGPIPE is ignored process-wide.
    ///
    /// The descriptors are left open. Run one server at a time on a pair of descriptors.
    public func run() async -> StopReason {
        // A write to a closed pipe must be an EPIPE error, not a process-killing signal.
        signal(SIGPIPE, SIG_IGN)
        return await start(with: handler)
    }

    /// Opens the existential so the session, and the hot path in it, is specialised.
    private func start<Handler: RPCMethodHandler>(with handler: Handler) async -> StopReason {
        let session = ServerSession(configuration: configuration, handler: handler, logger: logger)
        let handlesSignals = configuration.handlesSignals
        let logger = logger
        return await withCheckedContinuation { (continuation: CheckedContinuation<StopReason, Never>) in
            session.writer.start(onClose: { session.outputDidClose() })
            if handlesSignals {
                SignalTrap.shared.attach { signalNumber in
                    logger.debug("Stopping on a signal.", metadata: ["signal": "\(signalNumber)"])
                    session.requestStop(.signal(signalNumber))
                }
            }
            NativeThread.start(name: "jsonrpc-reader") {
                let reason = session.serve()
                if handlesSignals { SignalTrap.shared.detach() }
                continuation.resume(returning: reason)
            }
        }
    }
}
