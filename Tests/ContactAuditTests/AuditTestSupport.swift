import ContactAudit
import ContactStore
import Foundation
import JSONCore
import WixContacts

/// A store and its audit log on a fresh SQLite file, with a deterministic clock.
final class AuditFixture: @unchecked Sendable {
    let directory: URL
    let store: ContactStore
    let audit: AuditLog

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let clock = MillisecondCounter(start: 1_795_946_400_000)
        let configuration = StoreConfiguration(clock: { clock.next() })
        store = try ContactStore(
            path: directory.appendingPathComponent("contacts.sqlite").path, configuration: configuration)
        audit = try AuditLog(database: store.database, clock: configuration.clock)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Creates a contact with an audit entry; returns the contact id and entry id.
    @discardableResult
    func create(_ info: JSONValue) async throws -> (id: String, auditId: Int64) {
        let patch = try ContactInfoPatch(json: info)
        let clock = store.configuration.clock
        return try await store.write { [store] db in
            let change = try store.planCreate(db, patch: patch, allowDuplicates: false, member: false)
            try store.apply(change, in: db)
            let auditId = try AuditLog.append(
                db,
                AuditRecord(
                    contactId: change.after.id, operation: .create, before: nil, after: change.snapshot,
                    changedFields: change.changedFields, actor: "t", requestId: nil), clock: clock)
            return (change.after.id, auditId)
        }
    }

    /// Updates at the current revision with an audit entry; returns the entry id.
    @discardableResult
    func update(_ id: String, _ info: JSONValue, operation: AuditOperation = .update) async throws -> Int64 {
        let patch = try ContactInfoPatch(json: info)
        let clock = store.configuration.clock
        return try await store.write { [store] db in
            let current = try ContactStore.load(db, id: id).contact
            let change = try store.planUpdate(
                db, id: id, patch: patch, revision: current.revision, allowDuplicates: false)
            try store.apply(change, in: db)
            return try AuditLog.append(
                db,
                AuditRecord(
                    contactId: id, operation: operation, before: ContactSnapshot(contact: current),
                    after: change.snapshot, changedFields: change.changedFields, actor: "t", requestId: nil),
                clock: clock)
        }
    }

    /// The current contact.
    func contact(_ id: String) async throws -> Contact {
        try await store.snapshot(id: id).contact()
    }
}

/// A thread-safe millisecond counter.
final class MillisecondCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64
    init(start: Int64) { value = start }
    func next() -> Int64 {
        lock.withLock {
            value += 1; return value
        }
    }
}
