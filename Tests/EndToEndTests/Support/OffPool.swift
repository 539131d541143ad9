import Foundation

/// Runs a test body that blocks (waiting on pipes, child processes, deadlines) on a thread of
/// its own, and awaits it.
///
/// Swift Testing runs synchronous tests on the cooperative pool, which on a 2-core machine has
/// two threads: a test that blocks one of them for tens of seconds starves the async tests
/// running beside it until their deadlines pass. Long blocking tests go through this instead.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
