import ArgumentParser

/// What `serve` and `mcp` share as stdio servers.
struct StdioOptions: ParsableArguments {
    /// `--max-line-bytes`' default (8 MiB), shared with ``ServeSettings``.
    static let defaultMaxLineBytes = 8 << 20

    @Option(name: .long, help: ArgumentHelp("The longest request line accepted, in bytes.", valueName: "n"))
    var maxLineBytes: Int = defaultMaxLineBytes

    func validate() throws {
        try Self.validate(maxLineBytes: maxLineBytes)
    }

    /// Checks a `--max-line-bytes` value.
    static func validate(maxLineBytes: Int) throws {
        guard maxLineBytes >= 1024 else { throw ValidationError("--max-line-bytes must be at least 1024.") }
    }
}
