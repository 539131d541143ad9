import ContactAudit
import Foundation
import JSONCore
import Logging
import PostgresCluster
import Testing
import WixContacts

@testable import PostgresAudit

/// What only the shared log does: migrations under a lock, refusing a newer schema, contact
/// locks across gateways, leases, and failing clearly when the server is gone.
@Suite struct PostgresAuditStoreTests {
    static let logger = Logger(label: "postgres-audit-tests")

    func open(_ url: String, lease: Duration = .seconds(30), timeout: Duration = .seconds(15)) async throws
        -> PostgresAuditStore
    {
        try await PostgresAuditStore.open(
            endpoint: try PostgresEndpoint(url: url, environment: [:]), clock: { 1_795_946_400_000 }, lease: lease,
            operationTimeout: timeout, logger: Self.logger)
    }

    func snapshot(_ id: String, _ revision: Int) -> ContactSnapshot {
        ContactSnapshot(id: id, revision: revision, json: RawJSON(trusted: Array(#"{"id":"\#(id)","revision":\#(revision)}"#.utf8)))
    }

    func intent(_ id: String, _ revision: Int) -> AuditIntentRecord {
        AuditIntentRecord(
            contactId: id, operation: .update, before: snapshot(id, revision), patch: ["company": "X"], actor: nil,
            requestId: nil)
    }

    /// Waits, up to a deadline, until `condition` holds.
    func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw ClusterError.timedOut(what) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func gatewaysStartingTogetherMigrateOnce() async throws {
        let cluster = try await ThrowawayCluster.shared()
        let url = try await cluster.createDatabase()
        let stores = try await withThrowingTaskGroup(of: PostgresAuditStore.self) { group in
            for _ in 0..<4 { group.addTask { try await self.open(url) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let database = ThrowawayCluster.databaseName(url)
        #expect(try await cluster.psql(database: database, "SELECT count(*) FROM audit_schema_migration") == "1\n")
        for store in stores { await store.close() }
    }

    @Test func aDatabaseMigratedByANewerBuildIsRefused() async throws {
        let cluster = try await ThrowawayCluster.shared()
        let url = try await cluster.createDatabase()
        try await open(url).close()
        let database = ThrowawayCluster.databaseName(url)
        try await cluster.psql(database: database, "INSERT INTO audit_schema_migration (version, name) VALUES (99, 'from the future')")
        await #expect {
            _ = try await open(url)
        } throws: { error in
            (error as? ContactsError)?.message.contains("from the future") == true
        }
    }

    /// Two gateways changing one contact take turns: the second's intent waits for the first's
    /// settlement, so the contact's entries form one chain.
    @Test func aContactsChangesAreSerializedAcrossGateways() async throws {
        let cluster = try await ThrowawayCluster.shared()
        let url = try await cluster.createDatabase()
        let database = ThrowawayCluster.databaseName(url)
        let a = try await open(url)
        let b = try await open(url)
        let first = try await a.recordIntent(intent("c1", 1))
        let second = Task { try await b.recordIntent(intent("c1", 2)) }
        try await eventually("b waits for the contact lock") {
            try await cluster.psql(database: database, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
                == "1\n"
        }
        // Another contact is not held up.
        let other = try await b.recordIntent(intent("c2", 1))
        try await b.discard(other)
        try await a.settle(first, after: snapshot("c1", 2), changedFields: ["company"])
        let secondId = try await second.value
        #expect(secondId > first)
        try await b.settle(secondId, after: snapshot("c1", 3), changedFields: ["company"])
        #expect(try await a.history(AuditHistoryQuery(contactId: "c1")).entries.map(\.revisionAfter) == [3, 2])
        await a.close()
        await b.close()
    }

    /// An intent whose writer is alive is never settled by another gateway, even past its lease;
    /// once the writer is gone, exactly one other gateway claims it.
    @Test func onlyACrashedGatewaysIntentsAreClaimedAndOnlyOnce() async throws {
        let cluster = try await ThrowawayCluster.shared()
        let url = try await cluster.createDatabase()
        let database = ThrowawayCluster.databaseName(url)
        let writer = try await open(url)
        let other = try await open(url)
        let third = try await open(url)
        let live = try await writer.recordIntent(intent("c1", 1))
        #expect(try await other.pendingIntents().isEmpty)  // within its lease
        try await cluster.psql(database: database, "UPDATE audit_entry SET lease_until = 0")
        #expect(try await other.pendingIntents().isEmpty)  // past its lease, but its contact is locked by a live writer
        try await writer.settle(live, after: snapshot("c1", 2), changedFields: [])

        let orphan = try await writer.recordIntent(intent("c2", 1))
        await writer.close()  // the crash: its connections close, its lock goes with them
        try await cluster.psql(database: database, "UPDATE audit_entry SET lease_until = 0 WHERE state = 'intent'")
        // The server releases a closed session's locks a moment after the connection closes.
        var claimed: [AuditIntent] = []
        try await eventually("the orphan is claimed") {
            claimed = try await other.pendingIntents()
            return !claimed.isEmpty
        }
        #expect(claimed.map(\.auditId) == [orphan])
        #expect(try await third.pendingIntents().isEmpty)  // claimed: its lease is renewed for `other`
        try await other.settle(orphan, after: snapshot("c2", 2), changedFields: [])
        #expect(try await third.count() == 2)
        await other.close()
        await third.close()
    }

    /// An entry edited behind the gateway's back breaks the chain at that entry.
    @Test func anEditedEntryIsFoundByVerify() async throws {
        let cluster = try await ThrowawayCluster.shared()
        let url = try await cluster.createDatabase()
        let store = try await open(url)
        for revision in 1...3 {
            try await store.settle(
                try await store.recordIntent(intent("c1", revision)), after: snapshot("c1", revision + 1), changedFields: [])
        }
        #expect(try await store.verify().ok)
        try await cluster.psql(database: ThrowawayCluster.databaseName(url), "UPDATE audit_entry SET actor = 'mallory' WHERE audit_id = 2")
        let verification = try await store.verify()
        #expect(!verification.ok)
        #expect(verification.firstBadAuditId == 2)
        await store.close()
    }

    @Test func anUnreachableServerFailsClearlyWithinTheDeadline() async throws {
        let start = ContinuousClock.now
        await #expect {
            _ = try await open("postgres://gw@/nowhere?host=/nonexistent-dir", timeout: .seconds(3))
        } throws: { error in
            (error as? ContactsError)?.code == .unavailable
        }
        // Generous: beside the blocking end-to-end tests, the cooperative pool itself runs late.
        #expect(ContinuousClock.now - start < .seconds(60))
    }

    /// A server that goes away mid-run fails requests with UNAVAILABLE; once it is back, the
    /// same store serves again (the pool reconnects).
    @Test func requestsFailClearlyWhileTheServerIsDownAndRecoverAfter() async throws {
        let cluster = try await ThrowawayCluster.start()
        do {
            try await serverGoesAwayAndComesBack(cluster)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    private func serverGoesAwayAndComesBack(_ cluster: ThrowawayCluster) async throws {
        let url = try await cluster.createDatabase()
        let store = try await open(url, timeout: .seconds(10))
        try await store.settle(try await store.recordIntent(intent("c1", 1)), after: snapshot("c1", 2), changedFields: [])
        try await cluster.stopServer()
        await #expect {
            _ = try await store.count()
        } throws: { error in
            (error as? ContactsError)?.code == .unavailable
        }
        try await cluster.startServer()
        var recovered = false
        for _ in 0..<50 where !recovered {
            recovered = (try? await store.count()) == 1
            if !recovered { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(recovered)
        await store.close()
    }
}

extension ClusterError {
    static func timedOut(_ what: String) -> any Error {
        ContactsError(.deadlineExceeded, message: "Timed out: \(what)")
    }
}
