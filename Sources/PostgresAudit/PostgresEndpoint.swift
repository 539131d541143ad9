import Foundation
public import WixContacts

/// Where a PostgreSQL audit log lives, parsed from a libpq-style URL: `postgres://USER@HOST:PORT/DB`
/// over TCP, or `postgres://USER@/DB?host=/socket/dir` over the Unix socket in that directory.
///
/// The password never comes from the URL (it would show in `ps` and in shell history): it is read
/// from `PGPASSWORD`, a file named by `CONTACTS_GATEWAY_AUDIT_PASSWORD_FILE`, or the libpq password
/// file (`PGPASSFILE`, else `~/.pgpass`). ``description`` leaves it out.
///
/// ```swift
/// let endpoint = try PostgresEndpoint(url: "postgres://gateway@db.internal:5432/audit?sslmode=verify-full",
///                                     environment: ProcessInfo.processInfo.environment)
/// ```
public struct PostgresEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// How the connection reaches the server.
    public enum Transport: Sendable, Equatable {
        /// TCP to a host and port.
        case tcp(host: String, port: Int)
        /// The server's Unix socket in a directory (libpq's `host=/dir`): `/dir/.s.PGSQL.PORT`.
        case unixSocket(directory: String, port: Int)
    }

    /// libpq's `sslmode`.
    public enum SSLMode: String, Sendable, Equatable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS when the server offers it (as `prefer`: postgres-nio has no plain-first mode).
        case allow
        /// TLS when the server offers it (libpq's default).
        case prefer
        /// TLS always, without checking the certificate.
        case require
        /// TLS always, with the certificate chain checked.
        case verifyCA = "verify-ca"
        /// TLS always, with the chain and the host name checked.
        case verifyFull = "verify-full"
    }

    /// TCP or Unix socket.
    public var transport: Transport
    /// The role to connect as.
    public var username: String
    /// The database.
    public var database: String
    /// The password, from the environment or a password file; never from the URL.
    public var password: String?
    /// TLS; ignored on a Unix socket.
    public var sslMode: SSLMode

    /// An endpoint from its parts.
    public init(transport: Transport, username: String, database: String, password: String? = nil, sslMode: SSLMode = .prefer) {
        self.transport = transport
        self.username = username
        self.database = database
        self.password = password
        self.sslMode = sslMode
    }

    /// The path of the Unix socket, when the endpoint is one.
    public var socketPath: String? {
        guard case .unixSocket(let directory, let port) = transport else { return nil }
        return (directory.hasSuffix("/") ? directory : directory + "/") + ".s.PGSQL.\(port)"
    }

    /// The URL again, without any password: safe to log.
    public var description: String {
        switch transport {
        case .tcp(let host, let port):
            return "postgres://\(username)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
        case .unixSocket(let directory, let port):
            return "postgres://\(username)@/\(database)?host=\(directory)" + (port == 5432 ? "" : "&port=\(port)")
        }
    }

    /// Equal parts, the password included.
    public static func == (lhs: PostgresEndpoint, rhs: PostgresEndpoint) -> Bool {
        lhs.transport == rhs.transport && lhs.username == rhs.username && lhs.database == rhs.database
            && lhs.password == rhs.password && lhs.sslMode == rhs.sslMode
    }
}

// MARK: - Parsing

extension PostgresEndpoint {
    /// Parses `url` and looks up its password in `environment` and the password file.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming what is wrong; the message never repeats a password.
    public init(url: String, environment: [String: String]) throws {
        try self.init(parsing: url)
        password = try PostgresPassword.lookUp(for: self, environment: environment)
    }

    /// Parses `url` alone (no password).
    init(parsing url: String) throws {
        func invalid(_ description: String) -> ContactsError {
            ContactsError.invalidArgument([
                FieldViolation(field: "auditUrl", description: description, violatedRule: "FORMAT")
            ])
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme,
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw invalid("The audit URL must look like postgres://USER@HOST:PORT/DB or postgres://USER@/DB?host=/socket/dir.")
        }
        if components.password != nil {
            throw invalid(
                "The audit URL must not contain a password: set PGPASSWORD, PGPASSFILE (or ~/.pgpass), or CONTACTS_GATEWAY_AUDIT_PASSWORD_FILE."
            )
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value ?? "" }
        let known: Set<String> = ["host", "port", "sslmode", "user", "dbname"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw invalid("The audit URL has an unsupported parameter '\(unknown)'.")
        }
        guard let user = components.user.flatMap({ $0.removingPercentEncoding }) ?? query["user"], !user.isEmpty else {
            throw invalid("The audit URL must name a user: postgres://USER@…")
        }
        var database = String(components.path.drop(while: { $0 == "/" }))
        database = database.removingPercentEncoding ?? database
        if database.isEmpty { database = query["dbname"] ?? user }
        var port = components.port ?? 5432
        if let text = query["port"] {
            guard let value = Int(text), (1...65535).contains(value) else { throw invalid("The audit URL's port is not a port number.") }
            port = value
        }
        guard port >= 1 && port <= 65535 else { throw invalid("The audit URL's port is not a port number.") }
        var sslMode = SSLMode.prefer
        if let text = query["sslmode"] {
            guard let mode = SSLMode(rawValue: text) else {
                throw invalid("sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            sslMode = mode
        }
        let host = query["host"] ?? components.host.flatMap { $0.isEmpty ? nil : $0 }
        guard let host else { throw invalid("The audit URL must name a host, or a socket directory as ?host=/dir.") }
        let transport: Transport =
            host.hasPrefix("/") ? .unixSocket(directory: host, port: port) : .tcp(host: host, port: port)
        self.init(transport: transport, username: user, database: database, password: nil, sslMode: sslMode)
    }
}
