import Foundation
import PhoneNumbers
import Testing

/// Compares the resolver with libphonenumber itself, via `Scripts/example_vectors.py` (needs
/// `python3` and `pip install phonenumbers`; CI installs both, so their absence is a failure).
@Suite("libphonenumber cross-check")
struct LibphonenumberCrossCheckTests {
    /// One line of the script's JSON output.
    struct Vector: Decodable {
        let region: String
        let type: String
        let spelling: String
        let input: String
        let e164: String?
        let international: String?
        let owner: String?
    }

    /// The whole JSON document printed by the script.
    struct Output: Decodable {
        let phonenumbers_version: String
        let regions: [String]
        let missing_regions: [String]
        let vectors: [Vector]
    }

    static let scriptURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Scripts/example_vectors.py")

    @Test("every supported region's example numbers resolve like libphonenumber")
    func exampleNumbersMatch() async throws {
        let regions = PhoneNumberResolver.supportedRegions
        let output = try await Self.runScript(arguments: regions)
        let vectors = output.vectors

        #expect(output.missing_regions.isEmpty, "regions without example numbers: \(output.missing_regions)")
        let covered = Set(vectors.map(\.region))
        #expect(covered == Set(regions), "regions without vectors: \(Set(regions).subtracting(covered).sorted())")

        var mismatches: [String] = []
        for vector in vectors {
            let resolved = PhoneNumberResolver.resolve(phone: vector.input, regionCode: vector.region)
            let actual = [resolved?.e164, resolved?.international, resolved?.regionCode]
            let expected = [vector.e164, vector.international, vector.owner]
            if actual != expected {
                mismatches.append(
                    "\(vector.region) \(vector.type) \(vector.spelling) \"\(vector.input)\": "
                        + "expected \(expected.map { $0 ?? "nil" }), got \(actual.map { $0 ?? "nil" })")
            }
        }
        let hint =
            output.phonenumbers_version == PhoneNumberResolver.metadataVersion
            ? ""
            : " (tables are from phonenumbers \(PhoneNumberResolver.metadataVersion), python has "
                + "\(output.phonenumbers_version): rerun Scripts/generate_metadata.py or pin the version)"
        #expect(
            mismatches.isEmpty,
            """
            \(mismatches.count) of \(vectors.count) vectors differ from libphonenumber\(hint):
            \(mismatches.prefix(40).joined(separator: "\n"))
            """)
        #expect(vectors.count > 5 * regions.count, "suspiciously few vectors: \(vectors.count)")
    }

    /// Runs the script with `/usr/bin/env python3`, killing it after 60 seconds.
    static func runScript(arguments: [String]) async throws -> Output {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("phone-vectors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Files rather than pipes: the JSON is over a megabyte and would fill a pipe buffer
        // unless drained concurrently.
        let stdoutURL = directory.appendingPathComponent("stdout.json")
        let stderrURL = directory.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptURL.path] + arguments
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()

        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                process.waitUntilExit()
                Issue.record("example_vectors.py ran for more than 60 s and was killed")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.waitUntilExit()

        let stderr = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            let reason =
                switch process.terminationStatus {
                case 127: "python3 was not found on PATH"
                case 3: "the python module 'phonenumbers' is missing"
                default: "example_vectors.py exited with status \(process.terminationStatus)"
                }
            Issue.record("\(reason): install Python 3 and run `pip install phonenumbers`.\n\(stderr)")
            throw CancellationError()
        }
        return try JSONDecoder().decode(Output.self, from: Data(contentsOf: stdoutURL))
    }
}
