public import JSONCore

/// A contact label (Wix's Labels API): what `info.labelKeys` refers to.
///
/// Its JSON, `{ "key", "displayName" }`, is written and read here only: by the emulator's routes,
/// the REST client and the gateway's methods alike.
public struct ContactLabel: Sendable, Hashable {
    /// `custom.` plus a slug of the display name, or a system key.
    public let key: String
    /// The name people see.
    public let displayName: String

    /// A label.
    public init(key: String, displayName: String) {
        self.key = key
        self.displayName = displayName
    }

    /// `{ "key", "displayName" }`.
    public var json: JSONValue {
        ["key": .string(key), "displayName": .string(displayName)]
    }

    /// Reads `{ "key", "displayName" }`; `nil` when either is missing.
    public init?(json: JSONValue?) {
        guard let key = json?["key"]?.stringValue, let displayName = json?["displayName"]?.stringValue else {
            return nil
        }
        self.init(key: key, displayName: displayName)
    }
}
