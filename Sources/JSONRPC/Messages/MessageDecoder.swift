import JSONCore

/// Checks one parsed message (an element of a batch, or a whole line) against JSON-RPC 2.0.
enum MessageDecoder {
    /// What a message turned out to be.
    enum Decoded {
        /// A valid request or notification.
        case request(RPCRequest)
        /// Not a valid request: answer `-32600` with `id` (or `null` when it could not be read).
        case invalid(id: RequestID?, reason: String)
    }

    /// Validates the envelope. The checks follow the order a reader would: first the id, so an
    /// error about anything else can still be answered with it.
    static func decode(_ value: JSONValue) -> Decoded {
        guard case .object(let object) = value else {
            return .invalid(id: nil, reason: "A request must be a JSON object.")
        }
        var id: RequestID? = nil
        var version: JSONValue? = nil
        var method: JSONValue? = nil
        var params: JSONValue? = nil
        // One pass over the members instead of four keyed look-ups.
        for (key, member) in object {
            switch key {
            case "id":
                guard let parsed = RequestID(member) else {
                    return .invalid(id: nil, reason: "The id must be a string, a number or null.")
                }
                id = parsed
            case "jsonrpc": version = member
            case "method": method = member
            case "params": params = member
            default: continue
            }
        }
        guard case .string("2.0")? = version else {
            return .invalid(id: id, reason: #"The request must have "jsonrpc": "2.0"."#)
        }
        guard case .string(let name)? = method else {
            return .invalid(id: id, reason: "The method must be a string.")
        }
        switch params {
        case nil, .object?, .array?: break
        default: return .invalid(id: id, reason: "The params must be an object or an array.")
        }
        return .request(RPCRequest(id: id, method: name, params: params))
    }
}
