import Foundation

/// A wait that ran out of time: the test fails instead of hanging.
struct DeadlineExceeded: Error, CustomStringConvertible {
    let what: String
    var description: String { "Timed out waiting for \(what)." }
}

/// Resumes a continuation exactly once, whichever of the work and the timer ends first.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var timer: Task<Void, Never>?
    private var work: Task<Void, Never>?

    init(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation = continuation
    }

    func attach(work: Task<Void, Never>, timer: Task<Void, Never>) {
        lock.lock()
        defer { lock.unlock() }
        if continuation == nil {
            work.cancel()
            timer.cancel()
        } else {
            self.work = work
            self.timer = timer
        }
    }

    func resume(_ result: Result<T, any Error>) {
        lock.lock()
        let continuation = self.continuation
        self.continuation = nil
        let toCancel = [work, timer]
        lock.unlock()
        guard let continuation else { return }
        // The loser is cancelled; a cancelled wait that ignores cancellation is simply abandoned.
        for task in toCancel { task?.cancel() }
        continuation.resume(with: result)
    }
}

/// Runs `body` and returns its value, or throws ``DeadlineExceeded`` after `seconds` even if
/// `body` never returns (it is then cancelled and abandoned).
func withDeadline<T: Sendable>(
    _ seconds: Double = 20,
    _ what: String,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let once = ResumeOnce(continuation)
        let work = Task {
            do { once.resume(.success(try await body())) } catch { once.resume(.failure(error)) }
        }
        let timer = Task {
            // A deadline, not synchronisation: it only decides when to give up.
            try? await Task.sleep(for: .seconds(seconds))
            if !Task.isCancelled { once.resume(.failure(DeadlineExceeded(what: what))) }
        }
        once.attach(work: work, timer: timer)
    }
}

/// Runs blocking work (poll, read, write) on its own thread, so the Swift concurrency pool stays
/// free for the server under test.
func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.start()
    }
}
