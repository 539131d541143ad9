public import JSONCore

/// An error response: what a handler throws to answer a request with `error` instead of
/// `result`.
///
/// `message` is one plain sentence for a human; programs act on `code` and `data`.
///
/// ```swift
/// guard let id = request.params?["contactId"]?.stringValue else {
///     throw ResponseError.invalidParams("The contactId parameter must be a string.")
/// }
/// ```
public struct ResponseError: Error, Sendable, Equatable {
    /// The JSON-RPC or application code.
    public var code: ErrorCode
    /// One plain sentence.
    public var message: String
    /// Structured details for the caller, written as `error.data` when present.
    public var data: JSONValue?

    /// An error with a code, a one-sentence message and optional data.
    public init(code: ErrorCode, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }
}

// MARK: - Standard errors

extension ResponseError {
    /// `-32700`: the line is not valid JSON.
    public static func parseError(_ message: String = "The message is not valid JSON.") -> ResponseError {
        ResponseError(code: .parseError, message: message)
    }

    /// `-32600`: the value is not a valid JSON-RPC 2.0 request.
    public static func invalidRequest(_ message: String = "The message is not a valid JSON-RPC 2.0 request.")
        -> ResponseError
    {
        ResponseError(code: .invalidRequest, message: message)
    }

    /// `-32601`: no method of that name. Long names are shortened in the message.
    public static func methodNotFound(_ method: String) -> ResponseError {
        let shown = method.count > 100 ? String(method.prefix(100)) + "…" : method
        return ResponseError(code: .methodNotFound, message: "The method '\(shown)' does not exist.")
    }

    /// `-32602`: the params do not fit the method.
    public static func invalidParams(_ message: String, data: JSONValue? = nil) -> ResponseError {
        ResponseError(code: .invalidParams, message: message, data: data)
    }

    /// `-32603`: the server failed. Keep `message` generic: it reaches the client.
    public static func internalError(_ message: String = "The server failed to handle the request.")
        -> ResponseError
    {
        ResponseError(code: .internalError, message: message)
    }

    /// `-32800`: the request was cancelled before it produced a result.
    public static func requestCancelled(_ message: String = "The request was cancelled.") -> ResponseError {
        ResponseError(code: .requestCancelled, message: message)
    }
}

extension ResponseError: CustomStringConvertible {
    /// The code and message; `data` is left out because it may be large.
    public var description: String { "JSON-RPC error \(code.rawValue): \(message)" }
}
