public import JSONCore

/// An extended field definition.
public struct ExtendedFieldDefinition: Sendable, Hashable {
    /// `custom.` plus a slug of the display name, or a system key.
    public let key: String
    /// The name people see.
    public let displayName: String
    /// The type values must match.
    public let dataType: ExtendedFieldType

    /// A definition.
    public init(key: String, displayName: String, dataType: ExtendedFieldType) {
        self.key = key
        self.displayName = displayName
        self.dataType = dataType
    }

    /// `{ "key", "displayName", "dataType" }`, as Wix's Extended Fields API writes a field.
    public var json: JSONValue {
        ["key": .string(key), "displayName": .string(displayName), "dataType": .string(dataType.rawValue)]
    }

    /// Reads `{ "key", "displayName", "dataType" }`; `nil` when one is missing or unknown.
    public init?(json: JSONValue?) {
        guard let key = json?["key"]?.stringValue, let displayName = json?["displayName"]?.stringValue,
            let type = json?["dataType"]?.stringValue.flatMap(ExtendedFieldType.init(rawValue:))
        else { return nil }
        self.init(key: key, displayName: displayName, dataType: type)
    }
}
