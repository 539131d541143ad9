import ArgumentParser

/// What `serve` and `mcp` share as stdio servers.
struct StdioOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The longest request line accepted, in bytes.", valueName: "n"))
    var maxLineBytes: Int = 8 << 20

    func validate() throws {
        guard maxLineBytes >= 1024 else { throw ValidationError("--max-line-bytes must be at least 1024.") }
    }
}
