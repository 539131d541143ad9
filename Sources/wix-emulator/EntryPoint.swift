import WixEmulator

@main
enum EntryPoint {
    static func main() async {}
}
