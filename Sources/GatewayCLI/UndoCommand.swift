import ArgumentParser
import ContactAudit
import ContactsGateway
import Foundation
import JSONCore
import WixContacts

/// `contacts-gateway undo AUDIT_ID` / `undo --group GROUP_ID`: revert one change or a whole
/// group, with distinct exit codes for scripts.
struct UndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Undo one change (or, with --group, every change of a merge or bulk call).",
        discussion: """
            Updates get their prior values back, deletes are recreated (with a new id), creates
            are deleted, merges revert the target and recreate the sources.
            Exit codes: 0 undone (or, with --dry-run, would be undone without conflicts);
            3 conflict (a field changed since, or the change was already undone);
            4 audit entry or contact not found; 5 cannot be undone; 1 any other error. A group
            undo that fails part-way says which entries were reverted; run it again to finish.
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
    var auditId: Int64?

    @Option(name: .long, help: ArgumentHelp("Undo every entry of this group, newest first.", valueName: "group-id"))
    var group: String?

    @Option(
        name: .long, help: ArgumentHelp("Undo every change of this run (see `runs`), newest first.", valueName: "run-id"))
    var run: String?

    func validate() throws {
        guard [auditId != nil, group != nil, run != nil].filter({ $0 }).count == 1 else {
            throw ValidationError("Give an audit id, --group GROUP_ID or --run RUN_ID (one of them).")
        }
    }

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
        var context = RequestContext(actor: Actor.resolve(actor), requestId: nil)
        if !dryRun { context.runId = try await backend.audit.startRun(RunStart.current(actor: context.actor)) }
        do {
            if let scope = group.map(UndoScope.group) ?? run.map(UndoScope.run) {
                let outcome = try await UndoCoordinator(backend: backend).undoAll(
                    scope, mode: force ? .force : .strict, dryRun: dryRun, context: context)
                let verb = dryRun ? "Would undo" : "Undid"
                let what = group != nil ? "group" : "run"
                print("\(verb) \(outcome.steps.count) entries of \(what) \(scope.id); \(outcome.alreadyUndone.count) were already undone.")
                for step in outcome.steps {
                    print("  audit \(step.undid) → contact \(step.snapshot.id)" + (step.auditId.map { " (audit \($0))" } ?? ""))
                }
                return
            }
            let auditId = auditId ?? 0
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
            if let reverted = error.details["reverted"]?.arrayValue, let pending = error.details["notReverted"] {
                FileHandle.standardError.write(
                    Data("reverted: \(reverted.count) entries; not reverted: \(pending.serializedString())\n".utf8))
            }
            switch error.code {
            case .undoConflict:
                printConflicts(error.details["conflicts"]?.arrayValue ?? [], toStandardError: true)
                if let count = error.details["conflicts"]?.arrayValue?.count, run != nil || group != nil {
                    FileHandle.standardError.write(Data("\(count) conflict(s); nothing was undone.\n".utf8))
                }
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
            let field = conflict["field"]?.stringValue ?? "(the contact no longer exists)"
            let entry = conflict["auditId"].map { "audit \($0.serializedString()) " } ?? ""
            let contact = conflict["contactId"]?.stringValue.map { "contact \($0) " } ?? ""
            text += "  \(entry)\(contact)\(field)\n"
            text += "    before:  \(conflict["before"]?.serializedString() ?? "null")\n"
            text += "    after:   \(conflict["after"]?.serializedString() ?? "null")\n"
            text += "    current: \(conflict["current"]?.serializedString() ?? "null")\n"
        }
        if toStandardError { FileHandle.standardError.write(Data(text.utf8)) } else { print(text, terminator: "") }
    }
}
