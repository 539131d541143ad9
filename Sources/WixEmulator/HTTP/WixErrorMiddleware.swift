import Hummingbird
import Logging
import WixContacts

/// Turns every error into a Wix error body, so clients see one error shape whatever failed:
/// a store error, an auth failure, an unknown route or a bug.
struct WixErrorMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ContactsError {
            return WixResponse.error(error)
        } catch let error as HTTPError {
            return WixResponse.error(Self.contactsError(for: error, path: request.uri.path))
        } catch let error as UnreadableRequestBody {
            context.logger.debug(
                "Could not read the request body", metadata: ["error.type": "\(type(of: error.underlying))"])
            throw error.underlying
        } catch {
            // The description may hold SQL or contact data: log only the type.
            context.logger.error("Request failed", metadata: ["error.type": "\(type(of: error))"])
            return WixResponse.error(ContactsError(.internalError))
        }
    }

    /// Hummingbird's own errors (no route, body too large) in Wix's shape.
    static func contactsError(for error: HTTPError, path: String) -> ContactsError {
        let status = error.status.code
        let name = ContactsError.statusName(forHTTPStatus: status)
        let message: String
        switch status {
        case 404: message = "No route matches this method and path."
        case 413: message = "The request body is too large."
        default: message = "The request could not be handled."
        }
        return ContactsError(ContactsError.Code(rawValue: name), httpStatus: status, message: message)
    }
}
