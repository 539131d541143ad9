import Foundation
import Testing

/// The built `wix-emulator` binary: prints its URL, serves, and exits 0 on SIGTERM.
@Suite struct ExecutableTests {
    /// `wix-emulator` next to the test bundle (same build directory), if it was built.
    static let binary: URL? = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        // The runner may sit inside the .xctest bundle; walk up to the build directory.
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("wix-emulator")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }()

    @Test(
        .enabled(
            if: binary != nil,
            "wix-emulator was not found next to the test bundle; build it with --product wix-emulator first"),
        .timeLimit(.minutes(1))
    )
    func binaryPrintsItsURLServesAndExitsCleanlyOnSIGTERM() async throws {
        let binary = try #require(Self.binary)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--api-key", "k", "--log-level", "warning"]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let line = try await Self.firstLine(of: stdout.fileHandleForReading, within: .seconds(20)) {
            process.terminate()
        }
        let url = try #require(URL(string: line))
        #expect(url.scheme == "http")
        #expect(url.host == "127.0.0.1")
        let port = try #require(url.port)

        let reply = try await LoopbackHTTP.get(port: port, path: "/contacts/v4/contacts/none", authorization: "k")
        #expect(reply.status == 404)
        #expect(reply.body.contains("CONTACT_NOT_FOUND"))

        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        // Nothing but the URL line on stdout.
        let rest = stdout.fileHandleForReading.readDataToEndOfFile()
        #expect(rest.isEmpty)
    }

    /// Reads up to the first newline; after `timeout`, calls `onTimeout` (which must end the
    /// writer, so the blocked read returns) and fails.
    static func firstLine(
        of handle: FileHandle, within timeout: Duration, onTimeout: @escaping @Sendable () -> Void
    ) async throws -> String {
        let reader = Task.detached { () -> String in
            var bytes: [UInt8] = []
            while true {
                // One byte at a time so nothing after the first line is consumed.
                let chunk = try handle.read(upToCount: 1) ?? Data()
                guard let byte = chunk.first else { break }
                if byte == UInt8(ascii: "\n") { break }
                bytes.append(byte)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            onTimeout()
        }
        let line = try await reader.value
        watchdog.cancel()
        try #require(!line.isEmpty, "wix-emulator printed no URL within \(timeout)")
        return line
    }
}
