/// `serve`'s command line read without ArgumentParser, for the start every client makes.
///
/// ArgumentParser builds a command's options by reflection, and in the static binary the first
/// cast of each option's type walks the whole protocol-conformance table: parsing
/// `serve --db x` took 19 M instructions, a third of a start on a new file. This reads the usual
/// line, where each argument is a long option of `serve` with its value (`--db x` or `--db=x`).
/// Anything else returns `nil`: a short or unknown name, a value that is empty, begins with `-`,
/// or doesn't convert or validate. ArgumentParser then parses the line as before, with its own
/// messages.
///
/// `DirectServeArgumentsTests` checks that both parses give the same command for every option
/// ArgumentParser lists for `serve`, and for none.
enum DirectServeArguments {
    /// `serve` with the options in `arguments` (the command line after `serve`), or `nil` when the
    /// line is not the usual kind and ArgumentParser must read it.
    static func parse(_ arguments: [String]) -> ServeCommand? {
        var common = CommonOptions()
        common.backend = nil
        common.db = nil
        common.durability = CommonOptions.Defaults.durability
        common.busyTimeout = CommonOptions.Defaults.busyTimeout
        common.auditURL = nil
        common.logLevel = CommonOptions.Defaults.logLevel
        var stdio = StdioOptions()
        stdio.maxLineBytes = StdioOptions.defaultMaxLineBytes
        var actor: String?

        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("--") else { return nil }
            var name = String(argument.dropFirst(2))
            let value: String
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            } else {
                guard let next = rest.popFirst() else { return nil }
                value = next
            }
            guard !value.isEmpty, !value.hasPrefix("-") else { return nil }
            // A repeated option keeps its last value, as in ArgumentParser.
            switch name {
            case "backend": common.backend = value
            case "db": common.db = value
            case "durability": common.durability = value
            case "busy-timeout":
                guard let seconds = Double(value) else { return nil }
                common.busyTimeout = seconds
            case "audit-url": common.auditURL = value
            case "log-level": common.logLevel = value
            case "actor": actor = value
            case "max-line-bytes":
                guard let bytes = Int(value) else { return nil }
                stdio.maxLineBytes = bytes
            default: return nil
            }
        }

        var command = ServeCommand()
        command.common = common
        command.actor = actor
        command.stdio = stdio
        do {
            try common.validate()
            try stdio.validate()
            try command.validate()
        } catch {
            return nil
        }
        return command
    }
}
