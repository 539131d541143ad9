import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// Builds postgres-nio configurations for a ``PostgresEndpoint``: a pooled `PostgresClient` for
/// ordinary queries (it reconnects with backoff after a connection is lost) and single
/// connections for the contact locks, which must stay on one session.
struct PostgresConnector: Sendable {
    let endpoint: PostgresEndpoint
    /// How long a connection attempt may take.
    var connectTimeout: Duration = .seconds(10)

    /// The pooled client's configuration.
    func clientConfiguration(maximumConnections: Int) throws -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch endpoint.transport {
        case .unixSocket:
            configuration = PostgresClient.Configuration(
                unixSocketPath: endpoint.socketPath!, username: endpoint.username, password: endpoint.password,
                database: endpoint.database)
        case .tcp(let host, let port):
            let tls: PostgresClient.Configuration.TLS =
                switch endpoint.sslMode {
                case .disable: .disable
                case .allow, .prefer: .prefer(tlsConfiguration())
                case .require, .verifyCA, .verifyFull: .require(tlsConfiguration())
                }
            configuration = PostgresClient.Configuration(
                host: host, port: port, username: endpoint.username, password: endpoint.password,
                database: endpoint.database, tls: tls)
        }
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = connectTimeout
        configuration.options.additionalStartupParameters = [("application_name", "contacts-gateway")]
        return configuration
    }

    /// A single connection's configuration.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch endpoint.transport {
        case .unixSocket:
            configuration = PostgresConnection.Configuration(
                unixSocketPath: endpoint.socketPath!, username: endpoint.username, password: endpoint.password,
                database: endpoint.database)
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS
            switch endpoint.sslMode {
            case .disable: tls = .disable
            case .allow, .prefer: tls = .prefer(try NIOSSLContext(configuration: tlsConfiguration()))
            case .require, .verifyCA, .verifyFull: tls = .require(try NIOSSLContext(configuration: tlsConfiguration()))
            }
            configuration = PostgresConnection.Configuration(
                host: host, port: port, username: endpoint.username, password: endpoint.password,
                database: endpoint.database, tls: tls)
        }
        configuration.options.connectTimeout = .init(connectTimeout)
        configuration.options.additionalStartupParameters = [("application_name", "contacts-gateway")]
        return configuration
    }

    /// libpq's meaning of `sslmode`: `require` encrypts without checking the certificate,
    /// `verify-ca` checks the chain, `verify-full` also the host name.
    private func tlsConfiguration() -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch endpoint.sslMode {
        case .verifyFull: tls.certificateVerification = .fullVerification
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        default: tls.certificateVerification = .none
        }
        return tls
    }

    /// Opens one connection.
    func connect(logger: Logger) async throws -> PostgresConnection {
        try await PostgresConnection.connect(
            configuration: connectionConfiguration(), id: Self.nextId(), logger: logger)
    }

    private static let counter = Counter()
    private static func nextId() -> Int { counter.next() }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}
