import Foundation
import GRDB
import Testing
import WixContacts

@testable import ContactStore

/// What the store's one writer reports about itself (``ContactStore/writerActivity``, which
/// `gateway.status` shows): every write counted once, the transactions they shared, only the
/// time the writer worked, not the time it waited for more writes while a sync ran, and the
/// syncs that made the commits durable.
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
        }
    }
}
