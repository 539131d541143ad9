#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Dispatch

/// Turns SIGTERM and SIGINT into a graceful stop of the running server, and a second signal into
/// an immediate exit (`_exit(128 + signal)`: 143 for SIGTERM, 130 for SIGINT).
///
/// Signals belong to the process, so this is one shared object. It uses dispatch sources rather
/// than a signal handler: the event handler runs on an ordinary queue, where taking a lock and
/// writing to the wake-up pipe are safe.
final class SignalTrap: @unchecked Sendable {
    static let shared = SignalTrap()

    private let mutex = PThreadMutex()
    private let queue = DispatchQueue(label: "jsonrpc.signals")
    private var sources: [any DispatchSourceSignal] = []
    private var target: (@Sendable (Int32) -> Void)?
    private var signalled = false

    private init() {}

    /// Routes the first signal to `target` (a server's stop request); installs the sources on
    /// first use. They stay installed afterwards: a signal that arrives while no server runs
    /// (after `run()` returned, while the process shuts down) exits at once.
    func attach(_ target: @escaping @Sendable (Int32) -> Void) {
        mutex.lock()
        defer { mutex.unlock() }
        self.target = target
        signalled = false
        guard sources.isEmpty else { return }
        for signalNumber in [SIGTERM, SIGINT] {
            // Ignore first so the default action (termination) never runs; the source still sees it.
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [unowned self] in deliver(signalNumber) }
            source.activate()
            sources.append(source)
        }
    }

    /// Stops routing signals to the finished server.
    func detach() {
        mutex.withLock { target = nil }
    }

    /// What a received signal does: stop the server the first time, exit at once otherwise.
    func deliver(_ signalNumber: Int32) {
        mutex.lock()
        if let target, !signalled {
            signalled = true
            mutex.unlock()
            target(signalNumber)
            return
        }
        mutex.unlock()
        _exit(128 + signalNumber)
    }
}
