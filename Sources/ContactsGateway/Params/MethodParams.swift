public import JSONCore

/// A request's params, checked against the method's ``ParamSpec``s before any work is done:
/// unknown, missing and mistyped members are an ``InvalidParamsError`` naming the member.
///
/// Only a validated value exists, so a method reads its params without checking them again:
///
/// ```swift
/// let params = try MethodParams(validating: ["contactId": "c-1"], against: descriptor.params)
/// let result = try await descriptor.call(params, context: context)
/// ```
public struct MethodParams: Sendable {
    private let object: JSONObject

    /// Validates `value` (an object, or `nil` for none) against `specs`.
    ///
    /// - Throws: ``InvalidParamsError`` naming the first member that does not fit, or `params`
    ///   when the value is not an object.
    public init(validating value: JSONValue?, against specs: [ParamSpec]) throws(InvalidParamsError) {
        switch value {
        case nil: object = JSONObject()
        case .object(let members)?: object = members
        default: throw InvalidParamsError(field: "params", message: "The params must be an object.")
        }
        // Specs are looked at in place, by index: a copy of one retains its name, summary and
        // schema (a dozen atomic reference counts a request).
        for (key, member) in object {
            guard let index = specs.firstIndex(where: { $0.name == key }) else {
                throw InvalidParamsError(field: key, message: "Unknown param '\(key)'.")
            }
            try Self.check(member, named: key, against: specs[index].type)
        }
        for index in specs.indices where specs[index].required && !object.contains(specs[index].name) {
            throw InvalidParamsError(field: specs[index].name, message: "Missing param '\(specs[index].name)'.")
        }
    }

    private static func check(_ value: JSONValue, named name: String, against type: ParamType)
        throws(InvalidParamsError)
    {
        func invalid(_ message: String) -> InvalidParamsError { InvalidParamsError(field: name, message: message) }
        switch type {
        case .string:
            guard let string = value.stringValue else { throw invalid("Param '\(name)' must be a string.") }
            guard !string.isEmpty else { throw invalid("Param '\(name)' must not be empty.") }
        case .integer(let minimum, let maximum):
            guard case .int(let number) = value else { throw invalid("Param '\(name)' must be an integer.") }
            guard number >= minimum, number <= maximum else {
                throw invalid("Param '\(name)' must be between \(minimum) and \(maximum).")
            }
        case .boolean:
            guard value.boolValue != nil else { throw invalid("Param '\(name)' must be a boolean.") }
        case .object:
            guard value.objectValue != nil else { throw invalid("Param '\(name)' must be an object.") }
        case .array:
            guard value.arrayValue != nil else { throw invalid("Param '\(name)' must be an array.") }
        case .enumeration(let values):
            guard let string = value.stringValue, values.contains(string) else {
                throw invalid("Param '\(name)' must be one of \(values.joined(separator: ", ")).")
            }
        }
    }

    // MARK: - Reading

    /// A string member, if present.
    public func string(_ name: String) -> String? { object[name]?.stringValue }
    /// An integer member, if present.
    public func int(_ name: String) -> Int? { object[name]?.intValue }
    /// A boolean member, if present.
    public func bool(_ name: String) -> Bool? { object[name]?.boolValue }
    /// Any member, if present.
    public func value(_ name: String) -> JSONValue? { object[name] }
    /// An object member, if present.
    public func objectValue(_ name: String) -> JSONObject? { object[name]?.objectValue }
    /// Whether the member is present.
    public func contains(_ name: String) -> Bool { object.contains(name) }

    /// A required string param (validated already, so present).
    public func requiredString(_ name: String) -> String { string(name) ?? "" }
}
