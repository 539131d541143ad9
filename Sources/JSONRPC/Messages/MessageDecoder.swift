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

    /// The members of an envelope, in the order ``decode(version:id:method:params:)`` takes them.
    static let envelopeNames = JSONMemberNames(["jsonrpc", "id", "method", "params"])

    /// Validates the envelope of a parsed message.
    static func decode(_ value: JSONValue) -> Decoded {
        guard case .object(let object) = value else {
            return .invalid(id: nil, reason: "A request must be a JSON object.")
        }
        var version: JSONValue?
        var id: JSONValue?
        var method: JSONValue?
        var params: JSONValue?
        // One pass over the members instead of four keyed look-ups.
        for (key, member) in object {
            switch key {
            case "jsonrpc": version = member
            case "id": id = member
            case "method": method = member
            case "params": params = member
            default: continue
            }
        }
        return decode(version: version, id: id, method: method, params: params)
    }

    /// Validates an envelope from its members (`nil` when absent; a repeated member's last
    /// value). The checks follow the order a reader would: first the id, so an error about
    /// anything else can still be answered with it.
    static func decode(
        version: JSONValue?, id idMember: JSONValue?, method: JSONValue?, params: JSONValue?
    ) -> Decoded {
        var id: RequestID? = nil
        if let idMember {
            guard let parsed = RequestID(idMember) else {
                return .invalid(id: nil, reason: "The id must be a string, a number or null.")
            }
            id = parsed
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
