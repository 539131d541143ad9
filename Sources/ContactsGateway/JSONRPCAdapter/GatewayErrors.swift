import JSONCore
public import JSONRPC
public import WixContacts

/// Builds every JSON-RPC error the gateway sends from SPEC §5's table, in one place.
public enum GatewayErrors {
    /// The JSON-RPC code for an application error: `-320xx` with `xx` from the HTTP status
    /// (400 → -32000, 404 → -32004, 409 → -32009, 428 → -32028, 500 → -32050, 503 → -32053).
    public static func code(forHTTPStatus status: Int) -> ErrorCode {
        switch status {
        case 400..<500: return ErrorCode(rawValue: -32000 - (status - 400))
        case 500..<600: return ErrorCode(rawValue: -32050 - (status - 500))
        default: return .internalError
        }
    }

    /// The response for a contacts error: the Wix codes and the caller's extra data in `data`.
    public static func response(for error: ContactsError) -> ResponseError {
        var data = JSONObject()
        data.appendUnchecked("applicationCode", .string(error.code.rawValue))
        data.appendUnchecked("status", .string(error.status))
        data.appendUnchecked("httpStatus", .int(error.httpStatus))
        data.appendUnchecked("description", .string(error.code.defaultMessage))
        for (key, value) in error.details { data[key] = value }
        return ResponseError(code: code(forHTTPStatus: error.httpStatus), message: error.message, data: .object(data))
    }

    /// `-32602` with the param in `data.field`.
    public static func response(for error: InvalidParamsError) -> ResponseError {
        ResponseError(code: .invalidParams, message: error.message, data: ["field": .string(error.field)])
    }

    /// Any error from a method, as the response to send. Unexpected errors become `-32603` with
    /// a generic sentence: their text may hold SQL or paths and never reaches the client.
    public static func response(for error: any Error) -> ResponseError {
        switch error {
        case let error as ResponseError: return error
        case let error as ContactsError: return response(for: error)
        case let error as InvalidParamsError: return response(for: error)
        case let error as MethodNotFoundError: return .methodNotFound(error.name)
        case let error as any ContactsErrorConvertible:
            return error.contactsError.map { response(for: $0) } ?? .internalError()
        case is CancellationError: return .requestCancelled()
        default: return .internalError()
        }
    }
}
