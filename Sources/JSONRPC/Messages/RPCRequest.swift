public import JSONCore

/// One request or notification, as a handler sees it.
///
/// The server has already checked the envelope (`"jsonrpc": "2.0"`, a string `method`, an id of
/// the right type, `params` an object or array when present); the handler checks `params`.
public struct RPCRequest: Sendable {
    /// The id to answer with, or `nil` for a notification (which never gets a reply).
    public let id: RequestID?
    /// The method name.
    public let method: String
    /// `params` when present: an object or an array.
    public let params: JSONValue?

    /// A request; tests and in-process callers build them directly.
    public init(id: RequestID?, method: String, params: JSONValue? = nil) {
        self.id = id
        self.method = method
        self.params = params
    }

    /// Whether this is a notification.
    public var isNotification: Bool { id == nil }
}
