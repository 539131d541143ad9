/// A JSON-RPC error code: an open set, so a module can add its own codes without changing this
/// one.
///
/// The standard codes are static members; application codes are written as integer literals or
/// built with ``init(rawValue:)``:
///
/// ```swift
/// extension ErrorCode {
///     static let notFound: ErrorCode = -32004
/// }
/// throw ResponseError(code: .notFound, message: "The contact does not exist.")
/// ```
public struct ErrorCode: RawRepresentable, ExpressibleByIntegerLiteral, Hashable, Sendable {
    /// The integer written as `error.code`.
    public var rawValue: Int

    /// A code with this value.
    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    /// A code written as an integer literal, for example `-32004`.
    public init(integerLiteral value: Int) {
        self.rawValue = value
    }
}

// MARK: - Standard codes

extension ErrorCode {
    /// `-32700`: the line is not valid JSON.
    public static let parseError: ErrorCode = -32700
    /// `-32600`: the JSON is not a valid request object (or the line is too long).
    public static let invalidRequest: ErrorCode = -32600
    /// `-32601`: no such method.
    public static let methodNotFound: ErrorCode = -32601
    /// `-32602`: the method exists but its params are wrong.
    public static let invalidParams: ErrorCode = -32602
    /// `-32603`: the server failed; details go to the log, never to the client.
    public static let internalError: ErrorCode = -32603
    /// `-32800`: the request was cancelled with `$/cancelRequest` (the LSP code).
    public static let requestCancelled: ErrorCode = -32800
}

extension ErrorCode: CustomStringConvertible {
    /// The integer value, for logs.
    public var description: String { String(rawValue) }
}
