public import JSONCore

/// A partial `info` for an update: which top-level fields to replace, which to clear, and the
/// validated values — decoded once, shared by both backends.
///
/// Clearing (a product choice, see SPEC §4): a scalar sent as `""` or `null`, an object sent as
/// `null` (or `{}`), a list sent as `{ "items": [] }`.
///
/// ```swift
/// let patch = try ContactInfoPatch(json: ["company": "Wix", "jobTitle": ""])
/// patch.setFields      // ["company"]
/// patch.clearedFields  // ["jobTitle"]
/// ```
public struct ContactInfoPatch: Sendable {
    /// The `info` object exactly as sent (what the `wix` backend forwards).
    public var json: JSONObject { storage.json }
    /// The decoded values of the fields that are set. Read in place: `patch.info.company` does
    /// not copy (and retain every field of) the whole `info` to read one field.
    @inlinable public var info: ContactInfo {
        _read { yield storage.info }
    }
    /// The top-level fields sent, in the order sent.
    public var sentFields: [String] { storage.sentFields }
    /// The sent fields that clear the stored value.
    public var clearedFields: Set<String> { storage.clearedFields }
    /// The fields that are set (sent and not cleared).
    public var setFields: [String] { storage.setFields }

    /// What a patch holds, shared by its copies. A patch is handed down from the request through
    /// several layers and kept in change requests and closures; as a value, each copy retained
    /// every field of its decoded `info`, and every async function that held one carried all of
    /// it in the frame its task allocates.
    @usableFromInline final class Storage: Sendable {
        let json: JSONObject
        @usableFromInline let info: ContactInfo
        let sentFields: [String]
        let clearedFields: Set<String>
        let setFields: [String]

        init(json: JSONObject, info: ContactInfo, sentFields: [String], clearedFields: Set<String>) {
            self.json = json
            self.info = info
            self.sentFields = sentFields
            self.clearedFields = clearedFields
            setFields = sentFields.filter { !clearedFields.contains($0) }
        }
    }

    @usableFromInline let storage: Storage

    /// Decodes and type-checks a client's `info`.
    ///
    /// - Throws: `INSUFFICIENT_UPDATE_CONTACT_DATA` when it is empty; `INVALID_ARGUMENT` with
    ///   `fieldViolations` (paths under `info.`) for wrong types and unknown fields.
    public init(json value: JSONValue) throws(ContactsError) {
        let context = JSONDecodingContext(strict: true)
        guard case .object(let object) = value else {
            context.typeMismatch("info", expected: "an object", found: value)
            throw ContactsError.invalidArgument(context.violations)
        }
        guard !object.isEmpty else { throw ContactsError(.insufficientUpdateContactData) }
        let info = ContactInfo(json: value, path: "info", context: context) ?? ContactInfo()
        guard context.violations.isEmpty else { throw ContactsError.invalidArgument(context.violations) }
        var cleared: Set<String> = []
        // The fields the decoded info would encode, found without encoding it (a create's whole
        // info, lists and all, cost 8,900 instructions).
        let present = PresentMembers(of: info).names  // at most 11: a look through them is cheaper than a set
        for field in object.keys where !present.contains(field) && !Self.isNonEmptyMapPatch(object[field]) {
            cleared.insert(field)
        }
        storage = Storage(json: object, info: info, sentFields: object.keys, clearedFields: cleared)
    }

    /// A patch that sets every non-empty field of `info` (a create, or a restore).
    public init(setting info: ContactInfo) {
        guard case .object(let object) = info.json else { preconditionFailure("ContactInfo encodes as an object") }
        storage = Storage(json: object, info: info, sentFields: object.keys, clearedFields: [])
    }

    /// `extendedFields: { items: { "k": null } }` encodes empty after decoding but removes a key: not a clear.
    private static func isNonEmptyMapPatch(_ value: JSONValue?) -> Bool {
        guard let items = value?["items"]?.objectValue else { return false }
        return !items.isEmpty
    }
}
