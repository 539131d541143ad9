public import JSONCore

/// A model type whose `Codable` conformance goes through its JSON reading and writing, so there
/// is one definition of its wire shape. Decoding is lenient (unknown members are skipped), as a
/// client of a server that may add fields must be.
public protocol JSONModel: JSONRepresentable, Codable {}

extension JSONModel {
    public init(from decoder: any Decoder) throws {
        let json = try JSONValue(from: decoder)
        let context = JSONDecodingContext(strict: false)
        guard let value = Self(json: json, path: "", context: context), context.violations.isEmpty else {
            let reason = context.violations.first.map { "\($0.field): \($0.description)" } ?? "invalid value"
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: reason))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }

    /// Reads a value leniently from JSON, throwing the first violation.
    public static func decode(_ json: JSONValue) throws(ContactsError) -> Self {
        let context = JSONDecodingContext(strict: false)
        guard let value = Self(json: json, path: "", context: context), context.violations.isEmpty else {
            throw ContactsError.invalidArgument(context.violations)
        }
        return value
    }
}
