import Foundation
import GRDB
import Testing
import WixContacts

@testable import ContactStore

/// What the store's one writer reports about itself (``ContactStore/writerActivity``, which
/// `gateway.status` shows): every write counted once, the transactions they shared, only the
/// time the writer worked, not the time it waited for more writes while a sync ran, the syncs
/// that made the commits durable, and where each write's own time went (waiting for the writer,
/// in its transaction, for the sync, for its task).
@Suite struct WriterActivityTests {
    private struct Refused: Error {}

    @Test func everyWriteIsCountedOnceWithTheTransactionsTheyShared() async throws {
        try await TestStore.with { test in
            #expect(test.store.writerActivity == WriterActivity())
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<20 {
                    group.addTask { try await test.create(["name": ["first": .string("Ada \(index)")]]).id }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(ids).count == 20)
            // A write that fails on the writer is a write too; its batch runs again with a
            // savepoint for each write, still one transaction.
            await #expect(throws: Refused.self) { try await test.store.write { _ -> Int in throw Refused() } }
            let activity = test.store.writerActivity
            #expect(activity.writes == 21)
            #expect(activity.transactions >= 2)
            #expect(activity.transactions <= 21)
            #expect(activity.busySeconds > 0)
            #expect(activity.cpuSeconds > 0)
            // One thread's CPU time cannot exceed the wall-clock time it ran (1 ms for the clocks'
            // granularity).
            #expect(activity.cpuSeconds <= activity.busySeconds + 0.001)
            // Commits that are not durable leave no sync to the log syncer.
            #expect(activity.syncs == 0)
            #expect(activity.syncSeconds == 0)
        }
    }

    @Test func theWaitForMoreWritesWhileASyncRunsIsNotBusyTime() async throws {
        try await withScratchDatabasePath("WriterActivityTests") { path in
            let gate = SyncGate()
            var configuration = StoreConfiguration()
            configuration.logSync = gate.sync
            let store = try ContactStore(path: path, configuration: configuration)
            let first = try await store.create(patch: ContactInfoPatch(json: ["name": ["first": "Ada"]])).after
            let second = try await store.create(patch: ContactInfoPatch(json: ["name": ["first": "Grace"]])).after
            gate.close()
            let before = store.writerActivity
            let started = Date()
            let held = Task {
                try await store.update(
                    id: first.id, patch: ContactInfoPatch(json: ["company": "Wix"]), revision: first.revision)
            }
            try await until("the update's commit waits for its sync") { gate.waiting == 1 }
            // The next write runs in a transaction that stays open until that sync is done: the
            // writer waits in it for more writes meanwhile.
            let waiting = Task {
                try await store.update(
                    id: second.id, patch: ContactInfoPatch(json: ["company": "Wix"]), revision: second.revision)
            }
            try await until("the second update reached the writer") { store.committer.receivedWrites == 4 }
            try await Task.sleep(for: .milliseconds(400))
            gate.open()
            _ = try await held.value
            _ = try await waiting.value
            let elapsed = Date().timeIntervalSince(started)
            let activity = store.writerActivity
            #expect(activity.writes == 4)
            #expect(activity.transactions == 4)
            // Of the time the two updates took, the 400 ms the last transaction stayed open
            // waiting for more writes are not the writer's (the rest may be, on a busy machine).
            let busy = activity.busySeconds - before.busySeconds
            #expect(busy < elapsed - 0.3)
            #expect(activity.cpuSeconds <= activity.busySeconds + 0.001)
            // Each commit's sync ran on the syncer's thread; the one held 400 ms is in their time.
            #expect(activity.syncs == 4)
            #expect(activity.syncSeconds >= 0.4)
            // Where the two updates' time went: the first waited 400 ms after its commit for
            // the sync. The second could not commit before that sync was done either: taken
            // into a transaction at once, it waited in it (as it usually does); taken late on a
            // loaded machine, it waited for the writer instead.
            let awaitingSync = activity.awaitingSyncSeconds - before.awaitingSyncSeconds
            let queued = activity.queuedSeconds - before.queuedSeconds
            let inTransaction = activity.transactionSeconds - before.transactionSeconds
            let resuming = activity.resumingSeconds - before.resumingSeconds
            #expect(awaitingSync >= 0.4)
            #expect(queued + inTransaction >= 0.4)
            #expect(queued >= 0)
            #expect(inTransaction > 0)
            #expect(resuming >= 0)
            // No write's phases add up to more than the time it took (twice: two writes).
            #expect(queued + inTransaction + awaitingSync + resuming <= 2 * elapsed)
        }
    }

    @Test func aWriteHandedWhileATransactionRunsWaitsForTheWriter() async throws {
        try await TestStore.with { test in
            let running = ManagedFlag()
            let committer = test.store.committer
            let slowHanded = Date()
            // Holds the writer until the create has been handed to it, then 200 ms more: the
            // create's wait does not depend on how fast a loaded machine plans it.
            let slow = Task {
                try await test.store.write { _ in
                    running.set()
                    let deadline = Date().addingTimeInterval(30)
                    while committer.receivedWrites < 2 && Date() < deadline { usleep(1_000) }
                    Thread.sleep(forTimeInterval: 0.2)
                }
            }
            try await until("the slow write runs on the writer") { running.isSet }
            // At most this long the slow write itself waited for the writer.
            let slowWaited = Date().timeIntervalSince(slowHanded)
            let handed = Date()
            _ = try await test.create(["name": ["first": "Queued"]])
            let waited = Date().timeIntervalSince(handed)
            try await slow.value
            let activity = test.store.writerActivity
            #expect(activity.writes == 2)
            #expect(activity.transactions == 2)
            // The create was handed to the writer while the slow write's transaction ran, and
            // taken only after it committed, at least 200 ms later.
            #expect(activity.queuedSeconds >= 0.2)
            #expect(activity.queuedSeconds <= waited + slowWaited)
        }
    }

    @Test func eachWritesTimeIsSplitIntoItsPhases() async throws {
        try await TestStore.with { test in
            let started = Date()
            for index in 0..<5 { _ = try await test.create(["name": ["first": .string("Ada \(index)")]]) }
            let elapsed = Date().timeIntervalSince(started)
            let activity = test.store.writerActivity
            #expect(activity.writes == 5)
            // One at a time: no write waited for another's transaction, each was in its own.
            #expect(activity.transactions == 5)
            #expect(activity.queuedSeconds >= 0)
            #expect(activity.transactionSeconds > 0)
            #expect(activity.resumingSeconds >= 0)
            // Commits that are not durable leave no sync to wait for.
            #expect(activity.awaitingSyncSeconds == 0)
            // The phases are parts of each write's time: together no more than the five took.
            let phases =
                activity.queuedSeconds + activity.transactionSeconds + activity.awaitingSyncSeconds
                + activity.resumingSeconds
            #expect(phases <= elapsed)
        }
    }
}
