import ContactAudit
import ContactStore
import Foundation
import JSONCore
import WixContacts

/// A store and its audit log on a fresh SQLite file, with a deterministic clock.
final class AuditFixture: @unchecked Sendable {
    let directory: URL
    let store: ContactStore
    let audit: SQLiteAuditStore

    /// With `recordingEveryChange`, the store's writer runs without triggers, as the gateway's
    /// local backend does (``SQLiteAuditStore/recordEveryChange(of:)``).
    init(recordingEveryChange: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let clock = MillisecondCounter(start: 1_795_946_400_000)
        let configuration = StoreConfiguration(clock: { clock.next() })
        store = try ContactStore(
            path: directory.appendingPathComponent("contacts.sqlite").path, configuration: configuration)
        audit = try SQLiteAuditStore(database: store.database, clock: configuration.clock)
        if recordingEveryChange { try audit.recordEveryChange(of: store) }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Creates a contact with an audit entry; returns the contact id and entry id.
    @discardableResult
    func create(_ info: JSONValue) async throws -> (id: String, auditId: Int64) {
        let request = ChangeRequest.create(patch: try ContactInfoPatch(json: info), allowDuplicates: false, member: false)
        let (change, auditId) = try await store.commit(request, journal: journal(.create))
        return (change.after.id, auditId)
    }

    /// Updates the latest revision with an audit entry; returns the entry id.
    @discardableResult
    func update(_ id: String, _ info: JSONValue, operation: AuditOperation = .update) async throws -> Int64 {
        let request = ChangeRequest.update(
            id: id, patch: try ContactInfoPatch(json: info), revision: nil, allowDuplicates: false)
        return try await store.commit(request, journal: journal(operation)).recordId
    }

    func journal(_ operation: AuditOperation) -> AuditJournal {
        audit.journal(AuditJournal.Entry(operation: operation, actor: "t", requestId: nil))
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
