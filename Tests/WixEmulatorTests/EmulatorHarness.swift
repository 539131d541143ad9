import ContactStore
import Foundation
import Hummingbird
import HummingbirdTesting
import JSONCore
import Testing
import WixContacts
import WixEmulator

/// An emulator over a real SQLite file in its own temporary directory, expecting the API key
/// `test-key` with site `site-1` and OAuth client `client-1` / `secret-1`, on a manual clock.
struct EmulatorHarness {
    static let apiKey = "test-key"
    static let siteID = "site-1"
    static let clientID = "client-1"
    static let clientSecret = "secret-1"
    static let siteIDHeader = HTTPFields.Element.Name("wix-site-id")!

    /// The headers of a correctly authenticated API-key request.
    static var authorized: HTTPFields {
        [.authorization: apiKey, siteIDHeader: siteID]
    }

    let emulator: WixEmulator
    let clock: ManualClock
    var store: ContactStore { emulator.store }

    /// Runs `body` with a fresh emulator and removes its directory afterwards.
    /// With `logSync`, the store's commits are durable and its log is synced through it (an
    /// injected slow disk); without, commits are not synced.
    static func with<T>(
        tokenLifetime: Int = 14_400, logSync: (@Sendable (Int32) -> Int32)? = nil,
        configure: (inout EmulatorConfiguration) -> Void = { _ in },
        _ body: (EmulatorHarness) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("WixEmulatorTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var storeConfiguration = StoreConfiguration(durableCommits: logSync != nil)
        storeConfiguration.logSync = logSync
        let store = try ContactStore(
            path: directory.appendingPathComponent("contacts.sqlite").path, configuration: storeConfiguration)
        let clock = ManualClock()
        var configuration = EmulatorConfiguration(
            apiKey: apiKey, siteID: siteID, clientID: clientID, clientSecret: clientSecret,
            tokenLifetime: tokenLifetime, clock: { clock.now })
        configuration.logger.logLevel = .warning
        configure(&configuration)
        return try await body(
            EmulatorHarness(emulator: WixEmulator(store: store, configuration: configuration), clock: clock))
    }

    /// Runs `body` against the emulator's application in-process (`.router`) or on a real socket (`.live`).
    @discardableResult
    func test<T: Sendable>(
        _ setup: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> T
    ) async throws -> T {
        try await emulator.makeApplication().test(setup, body)
    }

    /// Creates a contact directly in the store and returns its id.
    func seed(_ info: JSONValue) async throws -> String {
        try await store.create(patch: ContactInfoPatch(json: info)).after.id
    }
}

/// A response, with its body parsed.
struct Reply {
    let status: Int
    let headers: HTTPFields
    let json: JSONValue

    /// `details.applicationError.code`.
    var applicationCode: String? { json["details"]?["applicationError"]?["code"]?.stringValue }
    /// `details.applicationError.data`.
    var applicationData: JSONValue? { json["details"]?["applicationError"]?["data"] }
    /// The `field`s of `details.validationError.fieldViolations`.
    var violatedFields: [String] {
        json["details"]?["validationError"]?["fieldViolations"]?.arrayValue?.compactMap { $0["field"]?.stringValue }
            ?? []
    }
}

extension TestClientProtocol {
    /// Sends a request with a JSON body (or `rawBody` verbatim) and parses the JSON answer.
    func call(
        _ method: HTTPRequest.Method, _ uri: String, json: JSONValue? = nil, rawBody: String? = nil,
        headers: HTTPFields = EmulatorHarness.authorized
    ) async throws -> Reply {
        var body: ByteBuffer?
        if let json { body = ByteBuffer(bytes: json.serialized()) }
        if let rawBody { body = ByteBuffer(string: rawBody) }
        var headers = headers
        if body != nil { headers[.contentType] = "application/json" }
        let response = try await execute(uri: uri, method: method, headers: headers, body: body)
        let bytes = Array(response.body.readableBytesView)
        let json = bytes.isEmpty ? JSONValue.null : try JSONValue.parse(bytes)
        return Reply(status: Int(response.status.code), headers: response.headers, json: json)
    }
}

/// A clock tests move by hand: milliseconds since 1970, starting at 2026-11-29T10:00:00Z.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var millis: Int64 = 1_795_946_400_000

    var now: Int64 { lock.withLock { millis } }

    func advance(seconds: Int) {
        lock.withLock { millis += Int64(seconds) * 1000 }
    }
}
