import ContactStore
import Foundation
import JSONCore
import Logging
import WixContacts
import WixEmulator

/// A clock for the REST client that never really sleeps: each `sleep` advances `now` and is
/// recorded, so retry and rate-limit waits are asserted, not waited for.
final class InstantClientClock: ClientClock, @unchecked Sendable {
    private let lock = NSLock()
    private var elapsed: Duration = .zero
    private var recorded: [Duration] = []

    func now() -> Duration { lock.withLock { elapsed } }

    func sleep(for duration: Duration) async throws {
        lock.withLock {
            elapsed += duration
            recorded.append(duration)
        }
    }

    /// Every sleep so far.
    var sleeps: [Duration] { lock.withLock { recorded } }
}

/// A live emulator on 127.0.0.1 (real HTTP) with a fresh database, and a REST client for it.
struct ClientHarness {
    static let apiKey = "test-key"
    static let siteID = "site-1"

    let running: RunningWixEmulator
    let client: WixContactsClient
    let clock: InstantClientClock
    var emulator: WixEmulator { running.emulator }
    var store: ContactStore { running.emulator.store }

    /// Runs `body` against a fresh emulator, stopping it afterwards.
    static func with<T>(
        credentials: WixCredentials = .apiKey(key: apiKey, siteId: siteID), requestsPerMinute: Int = 10_000,
        configure: (inout EmulatorConfiguration) -> Void = { _ in }, _ body: (ClientHarness) async throws -> T
    ) async throws -> T {
        var configuration = EmulatorConfiguration(
            apiKey: apiKey, siteID: siteID, clientID: "client-1", clientSecret: "secret-1")
        configuration.logger.logLevel = .critical
        configure(&configuration)
        let running = try await WixEmulator.start(configuration: configuration)
        let clock = InstantClientClock()
        let client = WixContactsClient(
            configuration: WixClientConfiguration(
                baseURL: running.baseURL, credentials: credentials, requestsPerMinute: requestsPerMinute,
                requestTimeout: .seconds(30), clock: clock))
        do {
            let result = try await body(ClientHarness(running: running, client: client, clock: clock))
            await running.stop()
            return result
        } catch {
            await running.stop()
            throw error
        }
    }

    /// Adds a fault rule to the emulator.
    func inject(_ rule: FaultRule) async {
        await emulator.faults.add(rule)
    }

    /// How many requests the emulator received for a route such as `PATCH /contacts/v4/contacts/{id}`.
    func count(_ route: String) async -> Int {
        await emulator.requests.count(route)
    }
}

/// `ContactInfoPatch(json:)` for literals in tests.
func patch(_ json: JSONValue) throws -> ContactInfoPatch {
    try ContactInfoPatch(json: json)
}
