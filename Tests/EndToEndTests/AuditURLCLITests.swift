import Foundation
import JSONCore
import PostgresCluster
import Testing

/// `--audit-url` and `audit copy` on the real binary.
@Suite struct AuditURLCLITests {
    private func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32?, String, String) {
        let process = try GatewayProcess(arguments: arguments, environment: environment)
        let termination = try process.finish(timeout: 60)
        return (termination.exitCode, process.stdout.text, process.stderr.text)
    }

    /// The local backend's contacts live on this machine: a shared log is refused, and says why.
    @Test func theLocalBackendRefusesASharedLog() async throws {
        try await offPool {
            let sandbox = try Sandbox()
            let (code, _, stderr) = try run(
                ["history", "--backend", "local", "--db", sandbox.databasePath, "--audit-url", "postgres://gw@/x?host=/tmp"])
            #expect(code != 0)
            #expect(stderr.contains("--backend wix"))
            #expect(stderr.contains("per machine"))
        }
    }

    /// A password in the URL is refused without being echoed back.
    @Test func aPasswordInTheURLIsRefusedAndNotEchoed() async throws {
        try await offPool {
            let sandbox = try Sandbox()
            let (code, stdout, stderr) = try run(
                ["history", "--backend", "wix", "--db", sandbox.databasePath, "--audit-url", "postgres://gw:hunter2-secret@db/x"],
                environment: ["WIX_API_KEY": "k", "WIX_SITE_ID": "s", "WIX_BASE_URL": "http://127.0.0.1:9"])
            #expect(code != 0)
            #expect(stderr.contains("PGPASSWORD"))
            #expect(!(stdout + stderr).contains("hunter2-secret"))
        }
    }

    /// An unreachable log fails the start clearly, and the password never shows.
    @Test func anUnreachableLogFailsClearlyWithoutShowingThePassword() async throws {
        try await offPool {
            let sandbox = try Sandbox()
            let (code, stdout, stderr) = try run(
                ["history", "--backend", "wix", "--db", sandbox.databasePath, "--log-level", "trace",
                 "--audit-url", "postgres://gw@/x?host=/nonexistent-socket-dir"],
                environment: [
                    "WIX_API_KEY": "k", "WIX_SITE_ID": "s", "WIX_BASE_URL": "http://127.0.0.1:9",
                    "PGPASSWORD": "sekrit-pw-123",
                ])
            #expect(code != 0)
            #expect(stderr.contains("UNAVAILABLE"))
            #expect(!(stdout + stderr).contains("sekrit-pw-123"))
        }
    }

    /// `audit copy` moves a history into PostgreSQL with its ids, and refuses to copy twice.
    @Test func auditCopyMovesAHistoryWithItsIds() async throws {
        try await offPool {
            let client = try GatewayClient()
            let id = try client.createContact(["name": ["first": "Copy"], "company": "A1"])
            try client.update(id, ["company": "A2"])
            try client.update(id, ["company": "A3"])
            #expect(try client.finish().exitCode == 0)

            let cluster = try ThrowawayCluster.shared()
            let url = try cluster.createDatabase()
            let database = ThrowawayCluster.databaseName(url)
            let (code, stdout, stderr) = try run(["audit", "copy", "--from", client.sandbox.databasePath, "--to", url])
            #expect(code == 0, "\(stderr)")
            #expect(stdout.contains("Copied 3 audit entries and 1 runs"))
            #expect(try cluster.psql(database: database, "SELECT count(*) FROM audit_run") == "1\n")
            #expect(
                try cluster.psql(database: database, "SELECT string_agg(audit_id || ':' || operation, ',' ORDER BY audit_id) FROM audit_entry")
                    == "1:create,2:update,3:update\n")
            // New entries continue after the copied ids.
            #expect(try cluster.psql(database: database, "SELECT nextval(pg_get_serial_sequence('audit_entry', 'audit_id'))") == "4\n")
            let (again, _, againErrors) = try run(["audit", "copy", "--from", client.sandbox.databasePath, "--to", url])
            #expect(again != 0)
            #expect(againErrors.contains("already holds 3 entries"))
        }
    }
}
