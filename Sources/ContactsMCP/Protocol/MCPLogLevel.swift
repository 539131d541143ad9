/// The syslog levels of MCP logging (`logging/setLevel`, `notifications/message`), least severe
/// first. The server logs a read at ``debug``, a change at ``notice`` and a failed call at
/// ``warning``.
public enum MCPLogLevel: String, Sendable, CaseIterable, Comparable {
    /// Detail: each read.
    case debug
    /// Information.
    case info
    /// A normal but significant event: each change.
    case notice
    /// A failed tool call.
    case warning
    /// An error.
    case error
    /// A critical condition.
    case critical
    /// Action must be taken at once.
    case alert
    /// The system is unusable.
    case emergency

    /// Orders by severity.
    public static func < (lhs: MCPLogLevel, rhs: MCPLogLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
