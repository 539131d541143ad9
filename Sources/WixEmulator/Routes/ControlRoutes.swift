import Hummingbird
import JSONCore
import WixContacts

/// The emulator's own control surface under `/_emulator`, for tests. No auth, no faults, not counted.
///
/// - `POST /_emulator/faults` arms a ``FaultRule`` (its JSON, or `{ "faults": [ ... ] }`);
///   `GET` lists the armed rules; `DELETE` disarms them all.
/// - `GET /_emulator/requests` → `{ "METHOD /path/{template}": n, ... }`; `DELETE` resets.
struct ControlRoutes {
    let faults: FaultInjector
    let counter: RequestCounter

    /// Adds the routes to `group` (the root).
    func register(on group: RouterGroup<EmulatorRequestContext>) {
        group.post("_emulator/faults") { request, context in try await addFaults(request, context) }
        group.get("_emulator/faults") { _, _ in await listFaults() }
        group.delete("_emulator/faults") { _, _ in
            await faults.removeAll()
            return await listFaults()
        }
        group.get("_emulator/requests") { _, _ in await counts() }
        group.delete("_emulator/requests") { _, _ in
            await counter.reset()
            return await counts()
        }
    }

    func addFaults(_ request: Request, _ context: EmulatorRequestContext) async throws -> Response {
        let body = try await RequestJSON.read(request, context: context)
        let rules: [FaultRule]
        if let list = body["faults"] {
            guard let items = list.arrayValue else {
                throw WixResponse.invalid("faults", "The faults must be an array.", rule: "TYPE")
            }
            rules = try items.map { (item) throws(ContactsError) in try FaultRule(json: item) }
        } else {
            rules = [try FaultRule(json: .object(body.object))]
        }
        for rule in rules { await faults.add(rule) }
        return await listFaults()
    }

    /// `{ "faults": [ ... ] }`, with the firings left on each.
    func listFaults() async -> Response {
        WixResponse.json(["faults": .array(await faults.rules.map(\.json))])
    }

    func counts() async -> Response {
        var object = JSONObject()
        for (route, count) in await counter.counts.sorted(by: { $0.key < $1.key }) {
            object.appendUnchecked(route, .int(count))
        }
        return WixResponse.json(.object(object))
    }
}
