/// The syslog levels of MCP logging (`logging/setLevel`, `notifications/message`), least severe
/// first.
public enum MCPLogLevel: String, Sendable, CaseIterable, Comparable {
    case debug, info, notice, warning, error, critical, alert, emergency

    /// Orders by severity.
    public static func < (lhs: MCPLogLevel, rhs: MCPLogLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
