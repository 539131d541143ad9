#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts detached OS threads for work that must block (read, write, wait for a condition).
///
/// Blocking on the Swift concurrency pool would starve every handler on a 2-core machine, and
/// Foundation's `Thread` would pull Foundation into the hot path; a bare pthread costs nothing.
enum NativeThread {
    private final class Box {
        let name: String
        let body: @Sendable () -> Void

        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// Runs `body` on a new detached thread named `name` (what `ps -L`, `top -H` and `perf`
    /// show; at most 15 bytes on Linux), which error messages use too.
    static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Box(name: name, body: body)).toOpaque()
        #if canImport(Darwin)
            var thread: pthread_t? = nil
            let result = pthread_create(
                &thread, nil,
                { raw in
                    NativeThread.run(raw)
                    return nil
                }, context)
        #else
            var thread = pthread_t()
            let result = pthread_create(
                &thread, nil,
                { raw in
                    if let raw { NativeThread.run(raw) }
                    return nil
                }, context)
        #endif
        guard result == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            fatalError("Could not start the \(name) thread: pthread_create returned \(result).")
        }
        #if canImport(Darwin)
            if let thread { pthread_detach(thread) }
        #else
            pthread_detach(thread)
        #endif
    }

    private static func run(_ raw: UnsafeMutableRawPointer) {
        let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
        #if canImport(Darwin)
            pthread_setname_np(box.name)
        #else
            nameThisThread(box.name)
        #endif
        box.body()
    }

    #if !canImport(Darwin)
        /// Names the calling thread through `/proc` (Glibc does not export `pthread_setname_np`
        /// to Swift, and `prctl` is variadic): without it the thread keeps the name of the one
        /// that started it, a pool thread's `…default-qos`. A failure leaves that name.
        private static func nameThisThread(_ name: String) {
            let descriptor = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return }
            let bytes = Array(name.utf8.prefix(15))
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
        }
    #endif
}
