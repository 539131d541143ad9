public import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// ``HTTPTransport`` over `URLSession` (FoundationNetworking on Linux), kept for comparison
/// (`WIX_HTTP_TRANSPORT=urlsession`): ``AsyncHTTPClientTransport`` is the default.
///
/// On Linux it loses requests under concurrency: some never complete until their timeout, so a
/// pipelined load against the emulator crawls at a few requests per second with a p99 of the
/// 30-second timeout (`Benchmarks/wix-pipeline.py`; the README has the numbers).
///
/// Requests that are not idempotent go out on a session of their own with `Connection: close`,
/// so each one travels on a fresh connection: libcurl silently resends a request whose reused
/// connection turns out to be dead, and a PATCH must never be resent blindly — the client
/// settles its outcome by reading instead.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession
    private let singleUseConnections: URLSession

    /// A transport with its own ephemeral sessions (no cookies, no cache).
    public init() {
        session = URLSession(configuration: Self.configuration())
        singleUseConnections = URLSession(configuration: Self.configuration())
    }

    deinit {
        session.invalidateAndCancel()
        singleUseConnections.invalidateAndCancel()
    }

    private static func configuration() -> URLSessionConfiguration {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        return configuration
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        let seconds = Double(request.timeout.components.seconds) + Double(request.timeout.components.attoseconds) / 1e18
        urlRequest.timeoutInterval = seconds
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if let body = request.body { urlRequest.httpBody = Data(body) }
        let isIdempotent = request.method == "GET"
        if !isIdempotent { urlRequest.setValue("close", forHTTPHeaderField: "Connection") }
        let session = isIdempotent ? self.session : singleUseConnections
        do {
            let (data, response) = try await session.data(for: urlRequest)
            guard let http = response as? HTTPURLResponse else {
                throw HTTPTransportError(kind: .other, mayHaveBeenDelivered: !isIdempotent)
            }
            var headers: [String: String] = [:]
            for (name, value) in http.allHeaderFields {
                if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
            }
            return HTTPResponse(status: http.statusCode, headers: headers, body: Array(data))
        } catch let error as HTTPTransportError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as URLError {
            switch error.code {
            case .cancelled: throw CancellationError()
            case .timedOut: throw HTTPTransportError(kind: .timedOut, mayHaveBeenDelivered: true)
            case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed:
                throw HTTPTransportError(kind: .connectionFailed, mayHaveBeenDelivered: false)
            case .networkConnectionLost: throw HTTPTransportError(kind: .connectionLost, mayHaveBeenDelivered: true)
            default: throw HTTPTransportError(kind: .other, mayHaveBeenDelivered: true)
            }
        } catch {
            throw HTTPTransportError(kind: .other, mayHaveBeenDelivered: true)
        }
    }
}
