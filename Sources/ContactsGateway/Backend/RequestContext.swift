/// Who asked, for the audit log: what a method needs of its request beyond the params, whatever
/// protocol carried it.
public struct RequestContext: Sendable {
    /// The actor recorded on audit entries.
    public var actor: String?
    /// The request's id in its protocol (the JSON-RPC id), as text.
    public var requestId: String?

    /// Creates a context.
    public init(actor: String?, requestId: String?) {
        self.actor = actor
        self.requestId = requestId
    }
}
