#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps stdout for protocol messages only.
///
/// Any library may `print`; on a JSON-RPC stdio server one stray line corrupts the stream. Taking
/// over the descriptor at start-up makes that impossible rather than merely discouraged.
///
/// ```swift
/// let protocolFD = StandardOutputGuard.takeOverStandardOutput()
/// let server = StdioServer(
///     configuration: ServerConfiguration(outputFD: protocolFD),
///     handler: Methods(),
///     logger: logger
/// )
/// ```
public enum StandardOutputGuard {
    /// Moves the real stdout to a private descriptor and points descriptor 1 at stderr.
    ///
    /// Call once, first thing, before any thread can print. Anything already buffered by C stdio is
    /// flushed to the real stdout first.
    ///
    /// - Returns: The private descriptor for the protocol writer (close-on-exec, so child
    ///   processes do not inherit it), or `-1` when there was no stdout; writing to `-1` fails and
    ///   the server then stops with ``StopReason/outputClosed``.
    public static func takeOverStandardOutput() -> Int32 {
        fflush(nil)  // every C stream: what was printed so far still goes to the real stdout
        // At least 3, so the copy never lands on 0, 1 or 2 if one of them happens to be closed.
        let protocolFD = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)
        _ = dup2(STDERR_FILENO, STDOUT_FILENO)
        return protocolFD
    }
}
