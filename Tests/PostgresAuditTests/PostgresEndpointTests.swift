import Foundation
import JSONCore
import Testing
import WixContacts

@testable import PostgresAudit

@Suite struct PostgresEndpointTests {
    @Test func aUnixSocketIsWrittenAsLibpqWritesIt() throws {
        let endpoint = try PostgresEndpoint(url: "postgres://gw@/audit?host=/var/run/postgresql", environment: [:])
        #expect(endpoint.transport == .unixSocket(directory: "/var/run/postgresql", port: 5432))
        #expect(endpoint.socketPath == "/var/run/postgresql/.s.PGSQL.5432")
        #expect(endpoint.username == "gw" && endpoint.database == "audit")
    }

    @Test func tcpWithPortAndSSLMode() throws {
        let endpoint = try PostgresEndpoint(url: "postgresql://gw@db.internal:6543/audit?sslmode=verify-full", environment: [:])
        #expect(endpoint.transport == .tcp(host: "db.internal", port: 6543))
        #expect(endpoint.sslMode == .verifyFull)
        let defaults = try PostgresEndpoint(url: "postgres://gw@db/audit", environment: [:])
        #expect(defaults.transport == .tcp(host: "db", port: 5432))
        #expect(defaults.sslMode == .prefer)
    }

    @Test func theDatabaseDefaultsToTheUser() throws {
        #expect(try PostgresEndpoint(url: "postgres://gw@db", environment: [:]).database == "gw")
    }

    /// A password in the URL would show in `ps` and shell history: refused, and not repeated.
    @Test func aPasswordInTheURLIsRefusedWithoutBeingEchoed() throws {
        #expect {
            _ = try PostgresEndpoint(url: "postgres://gw:s3cret-pw@db/audit", environment: [:])
        } throws: { error in
            let contactsError = error as? ContactsError
            let text = "\(error) \(contactsError?.message ?? "") \(contactsError.map { JSONValue.object($0.details).serializedString() } ?? "")"
            return (error as? ContactsError)?.code == .invalidArgument && !text.contains("s3cret-pw")
                && text.contains("PGPASSWORD")
        }
    }

    @Test(arguments: [
        "mysql://gw@db/audit", "postgres://db/audit", "postgres://gw@/audit", "postgres://gw@db/audit?sslmode=sometimes",
        "postgres://gw@db/audit?port=99999", "postgres://gw@db/audit?options=-c%20x",
    ])
    func malformedURLsAreInvalidArguments(url: String) {
        #expect(throws: ContactsError.self) { _ = try PostgresEndpoint(url: url, environment: [:]) }
    }

    @Test func thePasswordComesFromPGPASSWORDFirst() throws {
        let endpoint = try PostgresEndpoint(url: "postgres://gw@db/audit", environment: ["PGPASSWORD": "pw1"])
        #expect(endpoint.password == "pw1")
        #expect(!endpoint.description.contains("pw1"))
        #expect(!"\(endpoint)".contains("pw1"))
    }

    @Test func thePasswordComesFromAFileVariable() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(UUID().uuidString)").path
        try "from-file\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let endpoint = try PostgresEndpoint(
            url: "postgres://gw@db/audit", environment: ["CONTACTS_GATEWAY_AUDIT_PASSWORD_FILE": file])
        #expect(endpoint.password == "from-file")
    }

    @Test func thePasswordComesFromThePgpassFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)").path
        try """
            # comment
            other:5432:*:gw:wrong
            db:5432:audit:gw:right\\:colon
            localhost:5432:*:gw:socket
            """.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let tcp = try PostgresEndpoint(url: "postgres://gw@db/audit", environment: ["PGPASSFILE": file])
        #expect(tcp.password == "right:colon")
        let socket = try PostgresEndpoint(url: "postgres://gw@/x?host=/tmp", environment: ["PGPASSFILE": file])
        #expect(socket.password == "socket")
        let none = try PostgresEndpoint(url: "postgres://nobody@db/audit", environment: ["PGPASSFILE": file])
        #expect(none.password == nil)
    }
}
