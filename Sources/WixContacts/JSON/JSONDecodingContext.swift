public import JSONCore

/// Collects what is wrong while a JSON value is turned into model types, so that one pass can
/// report every invalid field at once instead of stopping at the first.
public final class JSONDecodingContext {
    /// Whether members the model does not know are violations (client input) or skipped (server output).
    public let rejectsUnknownFields: Bool
    /// What was found wrong so far.
    public private(set) var violations: [FieldViolation] = []

    /// A context; `strict` rejects unknown members.
    public init(strict: Bool) {
        rejectsUnknownFields = strict
    }

    /// Records a violation.
    public func record(_ field: String, _ description: String, rule: String) {
        violations.append(FieldViolation(field: field, description: description, violatedRule: rule))
    }

    func typeMismatch(_ field: String, expected: String, found: JSONValue) {
        record(field, "Expected \(expected), found \(found.typeName).", rule: "TYPE")
    }
}

/// A model type that reads itself from JSON, reporting violations by path, and writes itself back.
public protocol JSONRepresentable: Sendable {
    /// Reads the value at `path`; returns `nil` (after recording why) when it cannot.
    init?(json: JSONValue, path: String, context: JSONDecodingContext)
    /// The REST JSON of the value, with empty members omitted.
    var json: JSONValue { get }
    /// The compact text of ``json``, appended to `output` (by default by writing ``json``; a
    /// ``JSONObjectModel`` writes its members directly).
    func writeJSON(to output: inout [UInt8])
}

/// Reads the members of one JSON object for a model type.
struct ObjectReader {
    let object: JSONObject
    let path: String
    let context: JSONDecodingContext
    private var readKeys: [String] = []

    init?(_ value: JSONValue, path: String, context: JSONDecodingContext) {
        guard case .object(let object) = value else {
            context.typeMismatch(path, expected: "an object", found: value)
            return nil
        }
        self.object = object
        self.path = path
        self.context = context
    }

    func childPath(_ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    private mutating func member(_ key: String) -> JSONValue? {
        guard let value = object[key] else { return nil }
        readKeys.append(key)
        if case .null = value { return nil }
        return value
    }

    /// A string member; `""` and `null` read as absent.
    mutating func string(_ key: String) -> String? {
        guard let value = member(key) else { return nil }
        guard case .string(let string) = value else {
            context.typeMismatch(childPath(key), expected: "a string", found: value)
            return nil
        }
        return string.isEmpty ? nil : string
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let value = member(key) else { return nil }
        guard case .bool(let bool) = value else {
            context.typeMismatch(childPath(key), expected: "a boolean", found: value)
            return nil
        }
        return bool
    }

    mutating func int(_ key: String) -> Int? {
        guard let value = member(key) else { return nil }
        if case .string(let text) = value, let number = Int(text) { return number }  // int64 as string, as protobuf JSON allows
        guard let number = value.intValue else {
            context.typeMismatch(childPath(key), expected: "an integer", found: value)
            return nil
        }
        return number
    }

    mutating func value<T: JSONRepresentable>(_ key: String, as type: T.Type = T.self) -> T? {
        guard let value = member(key) else { return nil }
        return T(json: value, path: childPath(key), context: context)
    }

    /// Any JSON value, kept as it is.
    mutating func raw(_ key: String) -> JSONValue? {
        member(key)
    }

    /// Marks a member as known without reading it (read-only values that clients may send back).
    mutating func ignore(_ keys: String...) {
        for key in keys where object.contains(key) { readKeys.append(key) }
    }

    /// Reports members that were never read, when the context is strict.
    func finish() {
        guard context.rejectsUnknownFields, readKeys.count < object.count else { return }
        let known = Set(readKeys)
        for key in object.keys where !known.contains(key) {
            context.record(childPath(key), "Unknown field.", rule: "UNKNOWN_FIELD")
        }
    }
}
