import Foundation

#if canImport(Glibc)
    import Glibc
#endif
import JSONCore
import Testing

/// The two backends every contact, audit and undo case runs on: the embedded store, and the Wix
/// REST API served by a real `wix-emulator` process on 127.0.0.1 (the REST client over real HTTP).
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// The embedded store.
    case local
    /// The REST client against the emulator.
    case wix
    /// The same, with every fault kind of the emulator armed: 503s, 429s, answers lost after
    /// writes, dropped connections and latency (the fault matrix's "all together").
    case wixUnderFaults
    var testDescription: String { rawValue }

    /// The emulator's fault rules for this backend, as `--fault` JSON.
    var faults: [String] {
        guard self == .wixUnderFaults else { return [] }
        // Rates low enough that no request exhausts its five attempts in a run (about 3 in a
        // million per request), high enough that every run meets each kind of fault.
        return [
            #"{"kind":"status","status":503,"rate":0.04}"#,
            #"{"kind":"status","status":429,"retryAfterSeconds":0,"rate":0.02}"#,
            #"{"kind":"drop","after":true,"rate":0.03,"methods":["PATCH","POST"]}"#,
            #"{"kind":"drop","rate":0.03,"methods":["PATCH","POST"]}"#,
            #"{"kind":"latency","latencyMs":20,"rate":0.1}"#,
        ]
    }

    /// Whether the gateway talks to Wix (the emulator) rather than the embedded store.
    var isWix: Bool { self != .local }
}

/// A JSON-RPC client over one ``GatewayProcess``: numbered requests, responses matched by id.
final class GatewayClient: @unchecked Sendable {
    let process: GatewayProcess
    let sandbox: Sandbox
    /// The `wix-emulator` process a `wix` gateway talks to; killed with the client.
    /// Its database is `emulatorDatabasePath`.
    let emulator: GatewayProcess?
    /// The emulator's base URL (the "Wix site"), for changes made outside the gateway.
    private(set) var emulatorURL: String?
    /// The emulator's store: what the "Wix site" holds.
    var emulatorDatabasePath: String { sandbox.url.appendingPathComponent("emulator.sqlite").path }
    private var nextID = 1
    /// Responses that arrived while waiting for another id.
    private var stash: [Int: JSONValue] = [:]
    /// Notifications received so far (`$/progress`), in order.
    private(set) var notifications: [JSONValue] = []

    /// Starts `serve` on `backend`, on a fresh database in a fresh sandbox. For `wix`, a fresh
    /// emulator is started first (with `faults` armed, each a ``FaultRule`` as JSON), and the
    /// gateway gets its URL and API key from the environment, as a user would set them.
    init(_ backend: Backend = .local, _ extraArguments: [String] = [], faults: [String] = []) throws {
        sandbox = try Sandbox()
        guard backend.isWix else {
            process = try GatewayProcess.serve(in: sandbox, extraArguments)
            emulator = nil
            return
        }
        let emulator = try GatewayProcess(
            executable: "wix-emulator",
            arguments: [
                "--api-key", "e2e-key", "--site-id", "e2e-site", "--log-level", "debug",
                "--db", sandbox.url.appendingPathComponent("emulator.sqlite").path,
            ] + (faults + backend.faults).flatMap { ["--fault", $0] })
        let url = try emulator.stdout.nextLine(timeout: 30)
        self.emulator = emulator
        emulatorURL = url
        process = try GatewayProcess(
            arguments: ["--db", sandbox.databasePath, "--backend", "wix"] + extraArguments,
            environment: ["WIX_API_KEY": "e2e-key", "WIX_SITE_ID": "e2e-site", "WIX_BASE_URL": url])
    }

    /// `serve` on the local backend again, on the database an earlier client left in `sandbox`.
    init(reopening sandbox: Sandbox, _ extraArguments: [String] = []) throws {
        self.sandbox = sandbox
        process = try GatewayProcess.serve(in: sandbox, extraArguments)
        emulator = nil
    }

    /// The local backend with these arguments.
    convenience init(_ extraArguments: [String]) throws {
        try self.init(.local, extraArguments)
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    @discardableResult
    func call(_ method: String, _ params: JSONValue? = nil, timeout: Double = 15) throws -> JSONValue {
        let id = nextID
        nextID += 1
        var request: JSONObject = ["jsonrpc": "2.0", "id": .int(id), "method": .string(method)]
        if let params { request["params"] = params }
        try process.send(.object(request))
        return try response(id: id, timeout: timeout)
    }

    /// The response with this numeric id, reading (and stashing) others until it arrives.
    func response(id: Int, timeout: Double = 15) throws -> JSONValue {
        if let stashed = stash.removeValue(forKey: id) { return stashed }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let message: JSONValue
            do {
                message = try process.nextMessage(timeout: max(0.001, deadline.timeIntervalSinceNow))
            } catch {
                // What the processes logged tells why nothing came; a stuck gateway is made to
                // print where its threads are (the Swift runtime's backtrace on SIGABRT).
                process.deliver(signal: SIGABRT)
                _ = try? process.waitForExit(timeout: 20)
                try? process.stderr.waitForEndOfFile(timeout: 5)
                throw GatewayTestError(
                    "\(error); gateway stderr: \(process.stderr.text.suffix(12000)); emulator stderr: \(emulator?.stderr.text.suffix(2000) ?? "-")"
                )
            }
            guard let other = message["id"]?.intValue else {
                guard message["method"] != nil else {
                    throw GatewayTestError("unexpected message while waiting for id \(id): \(message)")
                }
                notifications.append(message)  // `$/progress` and other notifications
                continue
            }
            if other == id { return message }
            stash[other] = message
        }
    }

    /// The `result` of a call that must succeed.
    func result(_ method: String, _ params: JSONValue? = nil) throws -> JSONValue {
        let response = try call(method, params)
        guard let result = response["result"] else { throw GatewayTestError("\(method) failed: \(response)") }
        return result
    }

    /// The `error` of a call that must fail.
    func error(_ method: String, _ params: JSONValue? = nil) throws -> JSONValue {
        let response = try call(method, params)
        guard let error = response["error"] else { throw GatewayTestError("\(method) did not fail: \(response)") }
        return error
    }

    /// Creates a contact and returns its id.
    func createContact(_ info: JSONValue, extra: JSONObject = [:]) throws -> String {
        var params: JSONObject = ["info": info]
        for (key, value) in extra { params[key] = value }
        let result = try result("contacts.create", .object(params))
        guard let id = result["contact"]?["id"]?.stringValue else { throw GatewayTestError("no contact id: \(result)") }
        return id
    }

    /// Updates one contact at its current revision and returns the result.
    @discardableResult
    func update(_ contactId: String, _ info: JSONValue) throws -> JSONValue {
        let revision = try result("contacts.get", ["contactId": .string(contactId)])["contact"]?["revision"] ?? .null
        return try result("contacts.update", ["contactId": .string(contactId), "info": info, "revision": revision])
    }

    /// `gateway.status` `auditEntries`.
    func auditEntryCount() throws -> Int? {
        try result("gateway.status")["auditEntries"]?.intValue
    }

    /// Closes stdin and waits for the process to end.
    @discardableResult
    func finish() throws -> GatewayProcess.Termination {
        try process.finish()
    }
}

extension JSONValue {
    /// `error.code` of a response.
    var errorCode: Int? { self["error"]?["code"]?.intValue }
    /// `error.data.applicationCode` of a response, or `data.applicationCode` of an error.
    var applicationCode: String? {
        (self["error"]?["data"] ?? self["data"])?["applicationCode"]?.stringValue
    }
    /// A member of an array by index.
    subscript(index: Int) -> JSONValue? {
        guard let items = arrayValue, items.indices.contains(index) else { return nil }
        return items[index]
    }
}

/// A request line built from parts.
func requestLine(_ method: String, id: JSONValue?, params: JSONValue? = nil) -> String {
    var request: JSONObject = ["jsonrpc": "2.0", "method": .string(method)]
    if let id { request["id"] = id }
    if let params { request["params"] = params }
    return JSONValue.object(request).serializedString()
}

extension GatewayClient {
    /// Calls the emulator's REST API directly, as the dashboard or another app would change the
    /// site behind the gateway's back; returns the JSON body. A `path` starting with `/` is taken
    /// from the root (`/_emulator/faults`).
    @discardableResult
    func outside(_ method: String, _ path: String, _ body: JSONValue? = nil) throws -> JSONValue {
        guard let base = emulatorURL else { throw GatewayTestError("no emulator: a wix backend is needed") }
        var arguments = [
            "-sS", "--max-time", "20", "-X", method, "-H", "Authorization: e2e-key", "-H", "wix-site-id: e2e-site",
            path.hasPrefix("/") ? base + path : "\(base)/contacts/v4/\(path)",
        ]
        if let body { arguments += ["-H", "Content-Type: application/json", "--data", body.serializedString()] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (try? JSONValue.parse(Array(data))) ?? .null
    }
}
