public import JSONCore

/// Where a model type puts its members: a ``JSONObject`` (a tree, for code that works with
/// `JSONValue`) or a ``JSONObjectWriter`` (the bytes, for storing and sending). A model lists its
/// members once, in ``JSONObjectModel/appendMembers(to:)``, and both come out the same.
///
/// Every `appendIfPresent` leaves out a missing value, an empty string and a value that encodes
/// as an empty object; every list is written as `{ "items": [...] }` and only when not empty.
///
/// A key is a member name the model spells out in its code (a `StaticString`), so the writer
/// copies its bytes as they are: it must not need escaping in JSON (no quote, backslash or control
/// character). Member names that come from data go into a ``JSONValue``, which escapes them.
public protocol JSONMembers {
    /// Adds a member; the caller knows the key is not there yet.
    mutating func appendUnchecked(_ key: StaticString, _ value: JSONValue)
    /// Adds `key` when `value` is present and not empty.
    mutating func appendIfPresent(_ key: StaticString, _ value: String?)
    /// Adds `key` when `value` is present.
    mutating func appendIfPresent(_ key: StaticString, _ value: Bool?)
    /// Adds `key` when `value` is present.
    mutating func appendIfPresent(_ key: StaticString, _ value: Int?)
    /// Adds `key` when `value` is present and does not encode as an empty object.
    mutating func appendIfPresent<T: JSONRepresentable>(_ key: StaticString, _ value: T?)
    /// Adds `{ "items": [...] }` when the list is present and not empty.
    mutating func appendItems<T: JSONRepresentable>(_ key: StaticString, _ items: [T]?)
    /// Adds `{ "items": [...] }` of strings when the list is present and not empty.
    mutating func appendStringItems(_ key: StaticString, _ items: [String]?)
    /// Adds `{ "items": {...} }` when the map is present and not empty.
    mutating func appendMapItems(_ key: StaticString, _ items: JSONObject?)
}

/// A model type that encodes as a JSON object, from one list of its members.
public protocol JSONObjectModel: JSONRepresentable {
    /// Appends the members of the value, in wire order.
    func appendMembers<Members: JSONMembers>(to object: inout Members)
}

extension JSONObjectModel {
    /// The REST JSON of the value, as a tree.
    public var json: JSONValue {
        var object = JSONObject()
        appendMembers(to: &object)
        return .object(object)
    }

    /// The REST JSON of the value, written straight to bytes: the same bytes as
    /// `json.write(to:)`, without building the tree.
    public func writeJSON(to output: inout [UInt8]) {
        var writer = JSONObjectWriter(appendingTo: &output)
        appendMembers(to: &writer)
        output = writer.finish()
    }
}

extension JSONRepresentable {
    /// The compact JSON text of the value, appended to `output`.
    public func writeJSON(to output: inout [UInt8]) {
        json.write(to: &output)
    }
}

extension JSONObject: JSONMembers {
    public mutating func appendUnchecked(_ key: StaticString, _ value: JSONValue) {
        appendUnchecked(key.description, value)
    }

    public mutating func appendIfPresent(_ key: StaticString, _ value: String?) {
        if let value, !value.isEmpty { appendUnchecked(key, .string(value)) }
    }

    public mutating func appendIfPresent(_ key: StaticString, _ value: Bool?) {
        if let value { appendUnchecked(key, .bool(value)) }
    }

    public mutating func appendIfPresent(_ key: StaticString, _ value: Int?) {
        if let value { appendUnchecked(key, .int(value)) }
    }

    public mutating func appendIfPresent<T: JSONRepresentable>(_ key: StaticString, _ value: T?) {
        guard let value else { return }
        let json = value.json
        if case .object(let object) = json, object.isEmpty { return }
        appendUnchecked(key, json)
    }

    public mutating func appendItems<T: JSONRepresentable>(_ key: StaticString, _ items: [T]?) {
        guard let items, !items.isEmpty else { return }
        appendUnchecked(key, ["items": .array(items.map(\.json))])
    }

    public mutating func appendStringItems(_ key: StaticString, _ items: [String]?) {
        guard let items, !items.isEmpty else { return }
        appendUnchecked(key, ["items": .array(items.map { .string($0) })])
    }

    public mutating func appendMapItems(_ key: StaticString, _ items: JSONObject?) {
        guard let items, !items.isEmpty else { return }
        appendUnchecked(key, ["items": .object(items)])
    }
}
