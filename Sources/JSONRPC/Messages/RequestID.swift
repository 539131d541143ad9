public import JSONCore

/// The `id` of a request, echoed verbatim in its response.
///
/// A request whose `id` member is absent is a notification and has no `RequestID` at all
/// (`RPCRequest.id == nil`); `id: null` is a request that is answered with `id: null`.
public enum RequestID: Sendable, Hashable {
    /// A string id.
    case string(String)
    /// An integer id.
    case int(Int)
    /// A number id with a fraction or exponent (discouraged by JSON-RPC, but allowed).
    case double(Double)
    /// `null`.
    case null

    /// The id held by a JSON value, or `nil` when the value is not a string, number or null.
    public init?(_ value: JSONValue) {
        switch value {
        case .string(let string): self = .string(string)
        case .int(let int): self = .int(int)
        case .double(let double): self = .double(double)
        case .null: self = .null
        default: return nil
        }
    }

    /// The id as a JSON value.
    public var jsonValue: JSONValue {
        switch self {
        case .string(let string): return .string(string)
        case .int(let int): return .int(int)
        case .double(let double): return .double(double)
        case .null: return .null
        }
    }

    /// Appends the id's JSON text.
    func write(to output: inout [UInt8]) {
        switch self {
        case .string(let string): JSONValue.writeString(string, to: &output)
        case .int(let int): JSONValue.int(int).write(to: &output)
        case .double(let double): JSONValue.double(double).write(to: &output)
        case .null: output.append(contentsOf: "null".utf8)
        }
    }

    /// The same number in its other representation, so `$/cancelRequest {"id": 1.0}` finds `1`.
    var numericAlias: RequestID? {
        switch self {
        case .int(let int): return .double(Double(int))
        case .double(let double):
            guard let int = JSONValue.double(double).intValue else { return nil }
            return .int(int)
        default: return nil
        }
    }
}

extension RequestID: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    /// An integer id.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A string id.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension RequestID: CustomStringConvertible {
    /// The id's JSON text, for logs.
    public var description: String {
        var bytes: [UInt8] = []
        write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
