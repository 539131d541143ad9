/// The `wix-emulator` executable.
///
/// A `@main` type rather than top-level code: top-level `EmulatorCommand.main()` would pick
/// the synchronous overload, which cannot run an async command.
@main
enum EntryPoint {
    static func main() async {
        await EmulatorCommand.main()
    }
}
