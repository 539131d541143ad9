public import ContactStore
import Foundation
public import Hummingbird
import Logging
import WixContacts

/// The Wix Contacts v4 REST API, served over HTTP on 127.0.0.1 from an embedded ``ContactStore``,
/// so a Wix client can be tested end to end against a real server.
///
/// Routes (JSON in and out): `GET`/`PATCH /contacts/v4/contacts/{id}`, `POST /contacts/v4/contacts`,
/// `POST /contacts/v4/contacts/query`, `POST /contacts/v4/labels`, `POST /contacts/v4/extended-fields`,
/// `POST /oauth2/token`, and the test controls under `/_emulator` (faults and request counts).
/// Errors have Wix's bodies: `details.applicationError` or `details.validationError`.
///
/// In-process, from a test:
/// ```swift
/// let running = try await WixEmulator.start(configuration: EmulatorConfiguration(apiKey: "k", siteID: "s"))
/// await running.emulator.faults.add(FaultRule(kind: .status, status: 429, retryAfterSeconds: 0, count: 2))
/// // ... point the client under test at running.baseURL (http://127.0.0.1:<port>) and call it ...
/// let patches = await running.emulator.requests.count("PATCH /contacts/v4/contacts/{id}")
/// await running.stop()
/// ```
/// With HummingbirdTesting: `try await emulator.makeApplication().test(.router) { client in ... }`.
public final class WixEmulator: Sendable {
    /// The store the API is served from; tests may seed or inspect it directly.
    public let store: ContactStore
    /// What the emulator expects of its clients.
    public let configuration: EmulatorConfiguration
    /// The armed faults; arm more in-process or with `POST /_emulator/faults`.
    public let faults: FaultInjector
    /// Requests received per route; also at `GET /_emulator/requests`.
    public let requests: RequestCounter
    let tokens: TokenStore

    /// Creates an emulator serving `store`. Nothing listens until ``run()`` or ``start()``.
    public init(store: ContactStore, configuration: EmulatorConfiguration = EmulatorConfiguration()) {
        self.store = store
        self.configuration = configuration
        self.faults = FaultInjector(configuration.faults)
        self.requests = RequestCounter()
        self.tokens = TokenStore(clock: configuration.clock)
    }

    /// The router with every route and middleware.
    public func makeRouter() -> Router<EmulatorRequestContext> {
        let router = Router(context: EmulatorRequestContext.self)
        // First, so it also wraps the not-found answer and errors of every later middleware.
        router.add(middleware: WixErrorMiddleware())
        ControlRoutes(faults: faults, counter: requests).register(on: router.group())

        // Group middleware runs after routing, so the counter sees the route template.
        let api = router.group()
            .add(middleware: RequestCountingMiddleware(counter: requests))
            .add(middleware: FaultMiddleware(faults: faults))
        OAuthRoutes(configuration: configuration, tokens: tokens).register(on: api)

        let contacts = api.group("contacts/v4")
            .add(middleware: AuthMiddleware(configuration: configuration, tokens: tokens))
            .add(middleware: DurableAnswerMiddleware(store: store))
        ContactRoutes(store: store).register(on: contacts)
        SurfaceRoutes(store: store).register(on: contacts)
        CatalogRoutes(store: store).register(on: contacts)
        return router
    }

    /// The Hummingbird application, bound to 127.0.0.1 on ``EmulatorConfiguration/port``.
    ///
    /// - Parameter onServerRunning: Called with the bound port once the server listens.
    public func makeApplication(
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> Application<RouterResponder<EmulatorRequestContext>> {
        makeApplication(onListening: { port, _ in await onServerRunning(port) })
    }

    /// The application; `onListening` also gets a way to close the listening socket, which stops
    /// the server without the error Hummingbird logs when cancelled while accepting.
    func makeApplication(
        onListening:
            @escaping @Sendable (_ port: Int, _ closeListener: @escaping @Sendable () async -> Void) async -> Void
    ) -> Application<RouterResponder<EmulatorRequestContext>> {
        Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: configuration.port)),
            onServerRunning: { channel in
                await onListening(channel.localAddress?.port ?? 0, { try? await channel.close().get() })
            },
            logger: configuration.logger
        )
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully and returns.
    ///
    /// - Parameter onServerRunning: Called with the bound port once the server listens.
    public func run(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await makeApplication(onServerRunning: onServerRunning).runService()
    }
}
