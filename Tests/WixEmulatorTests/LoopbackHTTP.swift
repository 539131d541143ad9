import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A plain HTTP client for servers started outside HummingbirdTesting (`start()`, the binary).
enum LoopbackHTTP {
    /// GETs `path` from 127.0.0.1:`port`; throws when nothing answers within 5 seconds.
    static func get(port: Int, path: String, authorization: String? = nil) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.timeoutInterval = 5
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        // A fresh session each time: no pooled connection outlives a stopped server.
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        return (status, String(decoding: data, as: UTF8.self))
    }
}
