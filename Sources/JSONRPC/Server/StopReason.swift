/// Why ``StdioServer/run()`` returned.
public enum StopReason: Sendable, Hashable {
    /// The input reached end of file; every request was answered.
    case endOfInput
    /// SIGTERM or SIGINT (the signal number) arrived; every request read before it was answered.
    case signal(Int32)
    /// The output was closed by the peer (EPIPE) or failed; pending responses were dropped.
    case outputClosed
}
