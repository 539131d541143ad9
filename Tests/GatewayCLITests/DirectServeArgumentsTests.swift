import ArgumentParser
import Foundation
@testable import GatewayCLI
import Testing

/// `serve`'s usual command line read without ArgumentParser gives the settings ArgumentParser
/// gives, and every other line is left to ArgumentParser.
@Suite("serve's command line read directly")
struct DirectServeArgumentsTests {
    private func bothParses(_ arguments: [String]) throws -> (direct: ServeSettings?, parsed: ServeSettings) {
        (DirectServeArguments.parse(arguments), try ServeCommand.parse(arguments).settings)
    }

    /// The long names of every option ArgumentParser knows for `serve`.
    private func optionNames() throws -> [String] {
        let dump = try #require(
            JSONSerialization.jsonObject(with: Data(ServeCommand._dumpHelp().utf8)) as? [String: Any])
        let command = try #require(dump["command"] as? [String: Any])
        let arguments = try #require(command["arguments"] as? [[String: Any]])
        return arguments.filter { $0["kind"] as? String == "option" }.compactMap { argument in
            (argument["names"] as? [[String: Any]])?.first { $0["kind"] as? String == "long" }?["name"] as? String
        }
    }

    /// A value each option accepts.
    private func sample(for name: String) -> String {
        switch name {
        case "backend": "wix"
        case "durability": "normal"
        case "busy-timeout": "2.5"
        case "log-level": "debug"
        case "max-line-bytes": "4096"
        default: "value-of-\(name)"
        }
    }

    @Test("Every option of serve, alone, as --name value and --name=value")
    func everyOption() throws {
        let names = try optionNames()
        #expect(names.count >= 8)
        #expect(names.contains("db") && names.contains("max-line-bytes") && names.contains("actor"))
        for name in names {
            for arguments in [["--\(name)", sample(for: name)], ["--\(name)=\(sample(for: name))"]] {
                let (direct, parsed) = try bothParses(arguments)
                #expect(direct != nil, "the direct parse left \(arguments) to ArgumentParser")
                #expect(direct == parsed, "\(arguments)")
                #expect(parsed != ServeSettings(), "\(arguments) changed nothing")
            }
        }
    }

    @Test("No arguments, all of them at once, and a repeated option")
    func defaultsAndCombinations() throws {
        let empty = try bothParses([])
        #expect(empty.direct == empty.parsed)
        #expect(empty.parsed.backend.durability == "full" && empty.parsed.backend.busyTimeout == 10)
        #expect(empty.parsed.backend.logLevel == "info" && empty.parsed.maxLineBytes == 8 << 20)

        let names = try optionNames()
        let all = names.flatMap { ["--\($0)", sample(for: $0)] }
        let combined = try bothParses(all)
        #expect(combined.direct != nil)
        #expect(combined.direct == combined.parsed)

        let repeated = try bothParses(["--db", "/tmp/a.sqlite", "--db=/tmp/b.sqlite", "--busy-timeout", "3"])
        #expect(repeated.direct == repeated.parsed)
        #expect(repeated.parsed.backend.db == "/tmp/b.sqlite")
    }

    @Test(
        "Lines left to ArgumentParser",
        arguments: [
            ["--db"], ["--busy-timeout", "soon"], ["--max-line-bytes", "12.5"], ["--durability", "fast"],
            ["--max-line-bytes", "10"], ["--log-level", "loud"], ["--backend", "cloud"], ["--unknown", "x"],
            ["--db", "-x"], ["--db", ""], ["--db="], ["-d", "x"], ["positional"], ["--"],
        ])
    func leftToArgumentParser(_ arguments: [String]) {
        #expect(DirectServeArguments.parse(arguments) == nil)
    }
}
