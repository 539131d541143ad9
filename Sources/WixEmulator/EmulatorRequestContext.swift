public import Hummingbird

/// The per-request context of the emulator: Hummingbird's core storage plus a way to hang up.
///
/// The `drop` fault closes the connection without answering, which is what a client sees when a
/// response is lost on the network; so the context keeps hold of the connection.
public struct EmulatorRequestContext: RequestContext {
    /// Hummingbird's own per-request values (logger, route parameters, endpoint path).
    public var coreContext: CoreRequestContextStorage
    /// Closes the connection the request arrived on, without writing anything more.
    let closeConnection: @Sendable () async -> Void

    /// Creates the context for one request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        let channel = source.channel
        self.closeConnection = { try? await channel.close().get() }
    }
}
