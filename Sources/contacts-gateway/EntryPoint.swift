import GatewayCLI

/// The `contacts-gateway` executable: everything lives in the GatewayCLI library.
@main
enum EntryPoint {
    static func main() async {
        await GatewayCommand.launch()
    }
}
