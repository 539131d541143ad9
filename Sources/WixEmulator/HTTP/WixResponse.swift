import Hummingbird
import JSONCore
import WixContacts

/// The emulator's responses: JSON bodies, and errors in the two shapes the Wix API uses.
///
/// ```json
/// { "message": "...", "details": { "applicationError": { "code", "description", "data" } } }
/// { "message": "...", "details": { "validationError": { "fieldViolations": [ ... ] } } }
/// ```
enum WixResponse {
    /// A `Content-Type: application/json` response; `.raw` fragments are written verbatim.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let bytes = value.serialized()
        var buffer = ByteBuffer()
        buffer.writeBytes(bytes)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }

    /// The Wix error response for `error`, with its HTTP status.
    static func error(_ error: ContactsError, retryAfterSeconds: Int? = nil) -> Response {
        var response = json(errorBody(error), status: HTTPResponse.Status(code: error.httpStatus))
        if let retryAfterSeconds {
            response.headers[.retryAfter] = String(retryAfterSeconds)
        }
        return response
    }

    /// The Wix error body: `validationError` for field violations of `INVALID_ARGUMENT`,
    /// `applicationError` (with the error's details as `data`) for everything else.
    static func errorBody(_ error: ContactsError) -> JSONValue {
        if error.code == .invalidArgument, let violations = error.details["fieldViolations"]?.arrayValue {
            return [
                "message": .string(error.message),
                "details": ["validationError": ["fieldViolations": .array(violations)]],
            ]
        }
        return [
            "message": .string(error.message),
            "details": [
                "applicationError": [
                    "code": .string(error.code.rawValue),
                    "description": .string(error.message),
                    "data": .object(error.details),
                ]
            ],
        ]
    }

    /// A `validationError` naming one field.
    static func invalid(_ field: String, _ description: String, rule: String = "FORMAT") -> ContactsError {
        ContactsError.invalidArgument([FieldViolation(field: field, description: description, violatedRule: rule)])
    }
}
