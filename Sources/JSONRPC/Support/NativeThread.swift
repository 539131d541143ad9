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

    /// Runs `body` on a new detached thread; `name` names it on Darwin (Glibc does not export
    /// `pthread_setname_np` to Swift) and in error messages.
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
        #endif
        box.body()
    }
}
