/// No method of that name: what ``GatewayMethods/call(_:params:context:)`` throws for a name it
/// does not serve. The JSON-RPC adapter answers `-32601`.
public struct MethodNotFoundError: Error, Sendable, Equatable {
    /// The name asked for.
    public var name: String

    /// An error for `name`.
    public init(name: String) {
        self.name = name
    }
}
