/// A JSON value, parsed and written by this module without Foundation.
///
/// Objects keep their members in order (see ``JSONObject``), integers that fit an `Int` stay exact,
/// and ``raw(_:)`` splices already-serialised JSON into output without decoding it again —
/// which is how a stored contact is handed out on the hot path.
///
/// ```swift
/// let value = try JSONValue.parse(#"{"id": 1, "name": "Ada"}"#)
/// value["name"]?.stringValue   // "Ada"
/// value.serializedString()     // {"id":1,"name":"Ada"}
/// ```
public enum JSONValue: Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without fraction or exponent that fits an `Int`.
    case int(Int)
    /// Any other number.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object with its members in order.
    case object(JSONObject)
    /// Trusted, already-serialised JSON written verbatim. Only for output.
    case raw(RawJSON)
}

/// Bytes that are known to hold one complete, valid JSON value.
public struct RawJSON: Sendable, Hashable {
    /// The UTF-8 bytes of the value.
    public let bytes: [UInt8]

    /// Wraps bytes the caller vouches for (for example JSON this module wrote earlier).
    public init(trusted bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses the bytes into a value.
    public func parsed() throws(JSONParseError) -> JSONValue {
        try JSONValue.parse(bytes)
    }
}

// MARK: - Accessors

extension JSONValue {
    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The boolean, when this is a boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The number as an `Int`, when this is an integer or a double with no fractional part.
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value):
            guard value.rounded() == value, abs(value) < 9.0e15 else { return nil }
            return Int(value)
        default: return nil
        }
    }

    /// The number as a `Double`, when this is a number.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The members, when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Whether this is a number.
    public var isNumber: Bool {
        switch self {
        case .int, .double: return true
        default: return false
        }
    }

    /// The member named `key`, when this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// A short name of the value's type, for error messages ("string", "object", ...).
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        case .raw: return "json"
        }
    }

    /// The value with every ``raw(_:)`` fragment parsed, so it can be inspected or compared.
    public func resolvingRaw() throws(JSONParseError) -> JSONValue {
        switch self {
        case .raw(let raw): return try raw.parsed()
        case .array(let items):
            var resolved: [JSONValue] = []
            resolved.reserveCapacity(items.count)
            for item in items { resolved.append(try item.resolvingRaw()) }
            return .array(resolved)
        case .object(let object):
            var resolved = JSONObject()
            for (key, value) in object { resolved[key] = try value.resolvingRaw() }
            return .object(resolved)
        default: return self
        }
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object = JSONObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}

// MARK: - Equality

extension JSONValue: Equatable {
    /// Structural equality: numbers compare by value (`1 == 1.0`), objects ignore member order,
    /// and raw fragments compare by their parsed value.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.int, .double), (.double, .int), (.double, .double):
            return lhs.doubleValue == rhs.doubleValue
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        case (.raw(let a), .raw(let b)) where a == b: return true
        case (.raw(let raw), _): return (try? raw.parsed()) == rhs
        case (_, .raw(let raw)): return lhs == (try? raw.parsed())
        default: return false
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text of the value.
    public var description: String { serializedString() }
}
