import Hummingbird

/// Counts each request under its route template before anything else can answer it.
struct RequestCountingMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    let counter: RequestCounter

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // The router has resolved the route by the time group middleware runs.
        let template = context.endpointPath ?? request.uri.path
        await counter.record("\(request.method.rawValue) \(template)")
        return try await next(request, context)
    }
}
