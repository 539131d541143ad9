import ArgumentParser
import ContactAudit
import ContactsGateway
import Foundation
import JSONCore
import WixContacts

/// `contacts-gateway undo AUDIT_ID`: revert one change, with distinct exit codes for scripts.
struct UndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Undo one change by reapplying the prior values of the fields it changed.",
        discussion: """
            Exit codes: 0 undone (or, with --dry-run, would be undone without conflicts);
            3 conflict (a field changed since, or the change was already undone);
            4 audit entry or contact not found; 5 cannot be undone (a create); 1 any other error.
            """
    )

    /// Exit codes scripts can branch on.
    enum Status {
        static let conflict: Int32 = 3
        static let notFound: Int32 = 4
        static let notSupported: Int32 = 5
    }

    @OptionGroup var common: CommonOptions

    @Argument(help: "The audit entry to undo (see `history`).")
    var auditId: Int64

    @Flag(name: .long, help: "Restore even if the fields changed since.")
    var force = false

    @Flag(name: .long, help: "Show what would change and any conflicts; write nothing.")
    var dryRun = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Who makes the change, for the audit log. Default: $CONTACTS_GATEWAY_ACTOR, else the OS login name.",
            valueName: "name"))
    var actor: String?

    func run() async throws {
        let backend = try await common.openBackend(logger: common.bootstrapLogging())
        let context = RequestContext(
            actor: Actor.resolve(actor), requestId: nil)
        do {
            let outcome = try await UndoCoordinator(backend: backend).undo(
                target: .auditId(auditId), mode: force ? .force : .strict, dryRun: dryRun, context: context)
            let fields = outcome.changedFields.isEmpty ? "nothing" : outcome.changedFields.joined(separator: ", ")
            if dryRun {
                print("Undoing audit \(auditId) would restore \(fields) on contact \(outcome.snapshot.id).")
                if !outcome.conflicts.isEmpty {
                    print("Conflicts (fields changed since; --force restores them anyway):")
                    printConflicts(outcome.conflicts.map(\.json))
                    throw ExitCode(Status.conflict)
                }
            } else {
                print(
                    "Undid audit \(auditId) as audit \(outcome.auditId ?? 0): contact \(outcome.snapshot.id) is now at revision \(outcome.snapshot.revision); restored \(fields)."
                )
            }
        } catch let error as ContactsError {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            switch error.code {
            case .undoConflict:
                printConflicts(error.details["conflicts"]?.arrayValue ?? [], toStandardError: true)
                throw ExitCode(Status.conflict)
            case .auditEntryNotFound, .contactNotFound: throw ExitCode(Status.notFound)
            case .undoNotSupported: throw ExitCode(Status.notSupported)
            default: throw ExitCode.failure
            }
        }
    }

    private func printConflicts(_ conflicts: [JSONValue], toStandardError: Bool = false) {
        var text = ""
        for conflict in conflicts {
            let field = conflict["field"]?.stringValue ?? "?"
            text += "  \(field)\n"
            text += "    before:  \(conflict["before"]?.serializedString() ?? "null")\n"
            text += "    after:   \(conflict["after"]?.serializedString() ?? "null")\n"
            text += "    current: \(conflict["current"]?.serializedString() ?? "null")\n"
        }
        if toStandardError { FileHandle.standardError.write(Data(text.utf8)) } else { print(text, terminator: "") }
    }
}
