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
/// It builds no ArgumentParser type at all: even declaring an option (`@Option`) looks up
/// conformances. `DirectServeArgumentsTests` checks that both parses give the same settings for
/// every option ArgumentParser lists for `serve`, and for none.
enum DirectServeArguments {
    /// `serve`'s settings from `arguments` (the command line after `serve`), or `nil` when the
    /// line is not the usual kind and ArgumentParser must read it.
    static func parse(_ arguments: [String]) -> ServeSettings? {
        var settings = ServeSettings()
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
            case "backend": settings.backend.backend = value
            case "db": settings.backend.db = value
            case "durability": settings.backend.durability = value
            case "busy-timeout":
                guard let seconds = Double(value) else { return nil }
                settings.backend.busyTimeout = seconds
            case "audit-url": settings.backend.auditURL = value
            case "log-level": settings.backend.logLevel = value
            case "actor": settings.actor = value
            case "max-line-bytes":
                guard let bytes = Int(value) else { return nil }
                settings.maxLineBytes = bytes
            default: return nil
            }
        }
        guard (try? settings.validate()) != nil else { return nil }
        return settings
    }
}
