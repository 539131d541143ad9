public import JSONCore

/// The names of the members a model would encode, found without encoding them: the same rules
/// as every ``JSONMembers`` (a missing value, an empty string, an empty list and a value that
/// encodes as an empty object are left out), with lists only counted.
public struct PresentMembers: JSONMembers {
    /// The members' names, in wire order.
    public private(set) var names: [String] = []

    /// The members `model` would encode.
    public init(of model: some JSONObjectModel) {
        model.appendMembers(to: &self)
    }

    public mutating func appendUnchecked(_ key: StaticString, _ value: JSONValue) {
        names.append(key.description)
    }

    public mutating func appendIfPresent(_ key: StaticString, _ value: String?) {
        if let value, !value.isEmpty { names.append(key.description) }
    }

    public mutating func appendIfPresent(_ key: StaticString, _ value: Bool?) {
        if value != nil { names.append(key.description) }
    }

    public mutating func appendIfPresent(_ key: StaticString, _ value: Int?) {
        if value != nil { names.append(key.description) }
    }

    public mutating func appendIfPresent<T: JSONRepresentable>(_ key: StaticString, _ value: T?) {
        guard let value else { return }
        // Whether it encodes as an empty object can only be told by encoding it (a name, a
        // picture: small).
        if case .object(let object) = value.json, object.isEmpty { return }
        names.append(key.description)
    }

    public mutating func appendItems<T: JSONRepresentable>(_ key: StaticString, _ items: [T]?) {
        if let items, !items.isEmpty { names.append(key.description) }
    }

    public mutating func appendStringItems(_ key: StaticString, _ items: [String]?) {
        if let items, !items.isEmpty { names.append(key.description) }
    }

    public mutating func appendMapItems(_ key: StaticString, _ items: JSONObject?) {
        if let items, !items.isEmpty { names.append(key.description) }
    }
}
