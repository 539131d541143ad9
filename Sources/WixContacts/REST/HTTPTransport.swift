public import Foundation

/// One HTTP request, as the REST client builds it.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, `PATCH`.
    public var method: String
    /// The full URL.
    public var url: URL
    /// Header fields. Credentials live here and nowhere else; never log them.
    public var headers: [String: String]
    /// The body, if any.
    public var body: [UInt8]?
    /// How long to wait for the whole response.
    public var timeout: Duration

    /// Creates a request.
    public init(
        method: String, url: URL, headers: [String: String] = [:], body: [UInt8]? = nil,
        timeout: Duration = .seconds(30)
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// One HTTP response.
public struct HTTPResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields, with lower-cased names.
    public var headers: [String: String]
    /// The body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// The seam between the Wix REST client and the network, in the style of swift-openapi-runtime's
/// `ClientTransport`: tests run the real client against the real emulator over loopback.
///
/// Throw ``HTTPTransportError`` for failures where no response arrived.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the response, whatever its status.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// No response arrived: the outcome of a non-idempotent request is unknown.
public struct HTTPTransportError: Error, Sendable, CustomStringConvertible {
    /// Why.
    public enum Kind: Sendable { case timedOut, connectionFailed, connectionLost, other }
    /// Why, roughly.
    public var kind: Kind
    /// Whether the request may have reached the server (so a PATCH must be settled by a read).
    public var mayHaveBeenDelivered: Bool

    /// Creates an error.
    public init(kind: Kind, mayHaveBeenDelivered: Bool) {
        self.kind = kind
        self.mayHaveBeenDelivered = mayHaveBeenDelivered
    }

    public var description: String { "HTTP transport failed (\(kind))" }
}
