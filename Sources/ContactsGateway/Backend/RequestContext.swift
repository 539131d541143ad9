/// Who asked, for the audit log.
public struct RequestContext: Sendable {
    /// The actor recorded on audit entries.
    public var actor: String?
    /// The JSON-RPC id of the request, as text.
    public var requestId: String?

    /// Creates a context.
    public init(actor: String?, requestId: String?) {
        self.actor = actor
        self.requestId = requestId
    }
}
