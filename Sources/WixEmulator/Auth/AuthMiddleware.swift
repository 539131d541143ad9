import Foundation
import Hummingbird
import WixContacts

/// Checks the credentials of every `/contacts` request the way Wix does.
///
/// Accepted: an OAuth access token issued by `/oauth2/token` and not yet expired (with or
/// without a `Bearer ` prefix), or the configured API key together with the configured
/// `wix-site-id`. With no API key configured, any other non-empty `Authorization` is accepted.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    static let siteIDHeader = HTTPFields.Element.Name("wix-site-id")!

    let configuration: EmulatorConfiguration
    let tokens: TokenStore

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try await authenticate(request, context: context)
        return try await next(request, context)
    }

    private func authenticate(_ request: Request, context: Context) async throws {
        let header = request.headers[.authorization]?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !header.isEmpty else {
            throw ContactsError(.unauthenticated, message: "The request has no Authorization header.")
        }
        let credential = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : header
        switch await tokens.validity(of: credential) {
        case .valid: return
        case .expired:
            context.logger.debug("Rejected an expired access token")
            throw ContactsError(.unauthenticated, message: "The access token has expired.")
        case .unknown: break
        }
        if let apiKey = configuration.apiKey, credential != apiKey {
            throw ContactsError(.unauthenticated, message: "The Authorization header holds no valid credential.")
        }
        if let siteID = configuration.siteID, request.headers[Self.siteIDHeader] != siteID {
            throw ContactsError(.permissionDenied, message: "The API key may not access this site.")
        }
    }
}
