import ArgumentParser
import ContactAudit
import ContactStore
import ContactsGateway
import Foundation

/// `contacts-gateway compact`: pack the JSON of contacts stored as is or against an earlier
/// dictionary; optionally vacuum.
struct CompactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract:
            "Pack contacts whose JSON is stored as is or by an earlier build (safe beside a serving gateway); "
            + "--vacuum to shrink the file.",
        discussion: """
            The embedded store keeps each contact's JSON packed against a dictionary of contact
            JSON, about a fifth of its size: every contact it writes, and every row of a file
            of an earlier build when it first opens it. This packs rows written as is since (by
            hand, by an import), and packs again rows an earlier build packed against its
            dictionary (about 15 % smaller), 5,000 per transaction, so gateways serving the same
            file wait for one batch at most. It changes how the JSON is stored, not what it says:
            revisions, dates and the audit log stay as they were, and `verify` still passes.
            SQLite reuses the pages it frees; --vacuum returns them to the disk.
            """)

    @OptionGroup var common: CommonOptions

    @Flag(
        help: """
            Then rebuild the file (SQLite's VACUUM) to return the freed space to the disk. It holds \
            the write lock throughout and needs as much free disk as the file takes.
            """)
    var vacuum = false

    func run() async throws {
        let logger = common.bootstrapLogging()
        guard let backend = try await common.openBackend(logger: logger) as? LocalBackend else {
            throw ValidationError("compact packs the embedded store's contacts: it needs --backend local.")
        }
        let started = ContinuousClock.now
        var reported = 0
        let total = try await backend.auditLog.packContactRows { pass in
            guard pass.rows - reported >= 100_000 else { return }
            reported = pass.rows
            logger.info("compact: \(pass.rows) contacts read, \(pass.packed) packed")
        }
        let megabytes = { (bytes: Int) in String(format: "%.1f MB", Double(bytes) / 1_000_000) }
        let seconds = (ContinuousClock.now - started).components
        let elapsed = String(format: "%.1f s", Double(seconds.seconds) + Double(seconds.attoseconds) / 1e18)
        print(
            "Packed \(total.packed) of \(total.rows) contacts in \(elapsed): their JSON went from "
                + "\(megabytes(total.bytesBefore)) to \(megabytes(total.bytesAfter)).")
        guard vacuum else { return }
        let size = { (try? FileManager.default.attributesOfItem(atPath: backend.location)[.size] as? Int) ?? 0 }
        let before = size()
        try await backend.store.database.vacuum()
        print("Vacuumed: the file went from \(megabytes(before)) to \(megabytes(size())).")
    }
}
