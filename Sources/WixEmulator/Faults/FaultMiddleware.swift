import Hummingbird
import WixContacts

/// Applies the fault (if any) that fires for a request: a delay, an error status, or a dropped
/// connection.
struct FaultMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    let faults: FaultInjector

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let fault = await faults.fault(method: request.method.rawValue, path: request.uri.path) else {
            return try await next(request, context)
        }
        context.logger.info(
            "Injecting a fault",
            metadata: ["fault.kind": "\(fault.kind.rawValue)", "http.method": "\(request.method.rawValue)"])
        if fault.latencyMs > 0 {
            try await Task.sleep(for: .milliseconds(fault.latencyMs))
        }
        switch fault.kind {
        case .latency:
            return try await next(request, context)
        case .status:
            let error = ContactsError(Self.code(forStatus: fault.status), httpStatus: fault.status)
            return WixResponse.error(error, retryAfterSeconds: fault.retryAfterSeconds)
        case .drop:
            if fault.after {
                // The change is made (or fails) as usual; only the answer is lost.
                _ = try? await next(request, context)
            }
            await context.closeConnection()
            // Nothing reaches the client: the connection is already closed.
            return Response(status: .internalServerError)
        }
    }

    /// The Wix code an injected status carries.
    static func code(forStatus status: Int) -> ContactsError.Code {
        switch status {
        case 429: return .rateLimited
        case 503: return .unavailable
        case 504: return .deadlineExceeded
        case 500...: return .internalError
        default: return ContactsError.Code(rawValue: ContactsError.statusName(forHTTPStatus: status))
        }
    }
}
