import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// ``HTTPTransport`` over async-http-client (SwiftNIO): pooled connections, real deadlines and
/// cancellation, no libcurl.
///
/// The default since URLSession (FoundationNetworking, libcurl) was seen to lose a request under
/// load: now and then one never completed, not even at its timeout, and the caller waited on it
/// forever (the end-to-end suite caught it about once in ten runs). This transport has never
/// done so, answers faster (see the README), and a request past its deadline fails with
/// `timedOut`, to be retried or settled like any other.
///
/// Connections are reused for every method: a request is never resent by the transport (async-
/// http-client does not retry), so a write whose answer is lost is settled by the client, by
/// reading, as before.
public final class AsyncHTTPClientTransport: HTTPTransport {
    private let client: HTTPClient
    /// The largest response body read; Wix pages of 1,000 contacts stay far below it.
    private static let maximumBody = 64 << 20

    /// A transport on the process-wide client and event loops.
    public init() {
        client = HTTPClient.shared
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let isIdempotent = request.method == "GET"
        let milliseconds = request.timeout.components.seconds * 1000 + request.timeout.components.attoseconds / 1_000_000_000_000_000
        do {
            let response = try await client.execute(outgoing, timeout: .milliseconds(milliseconds))
            let body = try await response.body.collect(upTo: Self.maximumBody)
            var headers: [String: String] = [:]
            for header in response.headers { headers[header.name.lowercased()] = header.value }
            return HTTPResponse(status: Int(response.status.code), headers: headers, body: Array(buffer: body))
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPClientError {
            switch error {
            case .cancelled, .requestStreamCancelled: throw CancellationError()
            case .connectTimeout, .getConnectionFromPoolTimeout:
                throw HTTPTransportError(kind: .connectionFailed, mayHaveBeenDelivered: false)
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                throw HTTPTransportError(kind: .timedOut, mayHaveBeenDelivered: !isIdempotent)
            case .remoteConnectionClosed:
                throw HTTPTransportError(kind: .connectionLost, mayHaveBeenDelivered: !isIdempotent)
            default:
                throw HTTPTransportError(kind: .other, mayHaveBeenDelivered: !isIdempotent)
            }
        } catch is NIOConnectionError {
            throw HTTPTransportError(kind: .connectionFailed, mayHaveBeenDelivered: false)
        } catch let error as IOError where [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(error.errnoCode) {
            throw HTTPTransportError(kind: .connectionFailed, mayHaveBeenDelivered: false)
        } catch {
            throw HTTPTransportError(kind: .other, mayHaveBeenDelivered: true)
        }
    }
}
