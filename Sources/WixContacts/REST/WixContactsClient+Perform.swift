import Foundation
import JSONCore

extension WixContactsClient {
    /// Sends one API call with the rate limit, auth and retry policy; returns the JSON body of a 2xx.
    ///
    /// - 429: waits (`Retry-After` when given) and retries, for any method: nothing was applied.
    /// - 401: renews the OAuth token once and retries.
    /// - 5xx and transport errors: retried after `Retry-After` or a jittered backoff when
    ///   `idempotent`; otherwise the outcome
    ///   is unknown and ``OutcomeUnknown`` is thrown for the caller to settle.
    /// - Other statuses: the Wix error, as ``ContactsError``.
    func perform(
        _ method: String, _ path: String, query: [URLQueryItem] = [], body: JSONValue?, idempotent: Bool
    ) async throws -> JSONValue {
        var url = configuration.baseURL.appendingPathComponent(path, isDirectory: false)
        if !query.isEmpty, var components = URLComponents(url: url, resolvingAgainstBaseURL: false) {
            components.queryItems = query
            url = components.url ?? url
        }
        var attempt = 0
        var renewedToken = false
        while true {
            attempt += 1
            try Task.checkCancellation()
            try await limiterAcquire()
            var headers = try await authHeaders()
            headers["Accept"] = "application/json"
            if body != nil { headers["Content-Type"] = "application/json" }
            let request = HTTPRequest(
                method: method, url: url, headers: headers, body: body?.serialized(),
                timeout: configuration.requestTimeout)
            let response: HTTPResponse
            do {
                response = try await transport.send(request)
            } catch let error as HTTPTransportError {
                if idempotent || !error.mayHaveBeenDelivered {
                    if attempt <= configuration.maxRetries {
                        try await configuration.clock.sleep(for: backoff(attempt: attempt))
                        continue
                    }
                    throw ContactsError(.unavailable, httpStatus: 503, message: "The Wix API could not be reached.")
                }
                throw OutcomeUnknown(status: nil)
            }
            switch response.status {
            case 200..<300:
                guard let json = try? JSONValue.parse(response.body) else {
                    throw ContactsError(.internalError, message: "The Wix API answered with a body that is not JSON.")
                }
                return json
            case 401 where !renewedToken:
                renewedToken = true
                if await invalidateToken() { continue }
            case 429 where attempt <= configuration.maxRetries:
                try await configuration.clock.sleep(for: retryAfter(response) ?? backoff(attempt: attempt))
                continue
            case 500..<600:
                if idempotent, attempt <= configuration.maxRetries {
                    // A 503 or 504 may say when to come back; otherwise back off.
                    try await configuration.clock.sleep(for: retryAfter(response) ?? backoff(attempt: attempt))
                    continue
                }
                if !idempotent, response.status != 501 { throw OutcomeUnknown(status: response.status) }
            default:
                break
            }
            throw WixErrorBody.error(status: response.status, body: response.body)
        }
    }

    /// `Retry-After` in seconds, capped by the configuration.
    private func retryAfter(_ response: HTTPResponse) -> Duration? {
        guard let text = response.headers["retry-after"],
            let seconds = Double(text.trimmingCharacters(in: .whitespaces))
        else {
            return nil
        }
        return min(.milliseconds(Int64(seconds * 1000)), configuration.maximumBackoff)
    }
}
