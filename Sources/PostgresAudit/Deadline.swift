import Foundation
import WixContacts

/// Runs an operation with a deadline.
enum Deadline {
    /// `body`'s result, or `UNAVAILABLE` with `what` when `timeout` passes first. The body is then
    /// cancelled but not waited for: a connection attempt that ignores cancellation must not hold
    /// the caller past its deadline.
    static func run<T: Sendable>(_ timeout: Duration, what: String, _ body: @escaping @Sendable () async throws -> T)
        async throws -> T
    {
        let once = ResumeOnce<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                once.set(continuation)
                let work = Task {
                    do { once.resume(with: .success(try await body())) } catch { once.resume(with: .failure(error)) }
                }
                let timer = Task {
                    guard (try? await Task.sleep(for: timeout)) != nil else { return }
                    once.resume(with: .failure(ContactsError(.unavailable, message: what)))
                    work.cancel()
                }
                once.onResume { timer.cancel() }
            }
        } onCancel: {
            once.resume(with: .failure(CancellationError()))
        }
    }
}

/// A continuation resumed by whichever comes first.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var pending: Result<T, any Error>?
    private var done = false
    private var cleanup: (@Sendable () -> Void)?

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        lock.lock()
        if let pending {
            lock.unlock()
            continuation.resume(with: pending)
            return
        }
        self.continuation = continuation
        lock.unlock()
    }

    func onResume(_ body: @escaping @Sendable () -> Void) {
        lock.lock()
        if done {
            lock.unlock()
            body()
            return
        }
        cleanup = body
        lock.unlock()
    }

    func resume(with result: Result<T, any Error>) {
        lock.lock()
        guard !done else {
            lock.unlock()
            return
        }
        done = true
        let continuation = continuation
        self.continuation = nil
        if continuation == nil { pending = result }
        let cleanup = cleanup
        lock.unlock()
        continuation?.resume(with: result)
        cleanup?()
    }
}
