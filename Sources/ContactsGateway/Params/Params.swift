import JSONCore
import JSONRPC

/// A request's params, checked against the method's ``ParamSpec``s before any work is done:
/// unknown, missing and mistyped members are `-32602` naming the member.
struct Params {
    private let object: JSONObject

    init(_ value: JSONValue?, specs: [ParamSpec]) throws(ResponseError) {
        switch value {
        case nil: object = JSONObject()
        case .object(let members)?: object = members
        default: throw Self.invalid("params", "The params must be an object.")
        }
        for (key, member) in object {
            guard let spec = specs.first(where: { $0.name == key }) else {
                throw Self.invalid(key, "Unknown param '\(key)'.")
            }
            try Self.check(member, against: spec)
        }
        for spec in specs where spec.required && !object.contains(spec.name) {
            throw Self.invalid(spec.name, "Missing param '\(spec.name)'.")
        }
    }

    private static func check(_ value: JSONValue, against spec: ParamSpec) throws(ResponseError) {
        let name = spec.name
        switch spec.type {
        case .string:
            guard let string = value.stringValue else { throw invalid(name, "Param '\(name)' must be a string.") }
            guard !string.isEmpty else { throw invalid(name, "Param '\(name)' must not be empty.") }
        case .integer(let minimum, let maximum):
            guard case .int(let number) = value else { throw invalid(name, "Param '\(name)' must be an integer.") }
            guard number >= minimum, number <= maximum else {
                throw invalid(name, "Param '\(name)' must be between \(minimum) and \(maximum).")
            }
        case .boolean:
            guard value.boolValue != nil else { throw invalid(name, "Param '\(name)' must be a boolean.") }
        case .object:
            guard value.objectValue != nil else { throw invalid(name, "Param '\(name)' must be an object.") }
        case .array:
            guard value.arrayValue != nil else { throw invalid(name, "Param '\(name)' must be an array.") }
        case .enumeration(let values):
            guard let string = value.stringValue, values.contains(string) else {
                throw invalid(name, "Param '\(name)' must be one of \(values.joined(separator: ", ")).")
            }
        }
    }

    /// `-32602` naming the member in `data.field`.
    static func invalid(_ field: String, _ message: String) -> ResponseError {
        ResponseError(code: .invalidParams, message: message, data: ["field": .string(field)])
    }

    func string(_ name: String) -> String? { object[name]?.stringValue }
    func int(_ name: String) -> Int? { object[name]?.intValue }
    func bool(_ name: String) -> Bool? { object[name]?.boolValue }
    func value(_ name: String) -> JSONValue? { object[name] }
    func objectValue(_ name: String) -> JSONObject? { object[name]?.objectValue }
    func contains(_ name: String) -> Bool { object.contains(name) }

    /// A required string param (validated already).
    func requiredString(_ name: String) -> String { string(name) ?? "" }
}
