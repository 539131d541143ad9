public import ContactsGateway
public import JSONCore
public import JSONRPC

/// The notifications the server sends while it handles a request: `notifications/progress` for
/// a call that asked for it (`_meta.progressToken`), and `notifications/message` log lines at
/// or above the level the client set.
///
/// Both go through the request's ``JSONRPC/RPCNotifier``, so they reach the client before the
/// request's response.
public enum MCPNotifications {
    /// The progress token of a request, when it sent one (`params._meta.progressToken`, a
    /// string or an integer).
    public static func progressToken(in params: JSONValue?) -> JSONValue? {
        guard let token = params?["_meta"]?["progressToken"] else { return nil }
        switch token {
        case .string, .int: return token
        default: return nil
        }
    }

    /// A reporter that sends each update as `notifications/progress` for `token`; `nil` without
    /// a token or a notifier (then the method reports nothing).
    public static func progressReporter(token: JSONValue?, notifier: RPCNotifier?) -> ProgressReporter? {
        guard let token, let notifier else { return nil }
        return ProgressReporter { update in
            var params: JSONObject = ["progressToken": token, "progress": .int(update.completed)]
            if let total = update.total { params["total"] = .int(total) }
            if let message = update.message { params["message"] = .string(message) }
            notifier.notify("notifications/progress", params: .object(params))
        }
    }

    /// Sends `data` as a `notifications/message` at `level` when that is at least `minimum`
    /// (the level the client asked for; `nil` when it wants none).
    public static func log(
        _ level: MCPLogLevel, _ data: String, minimum: MCPLogLevel?, notifier: RPCNotifier? = RPCNotifier.current
    ) {
        guard let notifier, let minimum, level >= minimum else { return }
        notifier.notify(
            "notifications/message",
            params: ["level": .string(level.rawValue), "logger": .string(MCPServer.serverName), "data": .string(data)])
    }
}
