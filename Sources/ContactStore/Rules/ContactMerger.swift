import JSONCore
import WixContacts

/// Applies a partial `info` to a stored one with Wix's update rules (SPEC §4):
/// sent top-level fields replace the stored ones whole, omitted fields are kept, cleared fields
/// are removed; list items sent with the id of a stored item keep it, others get new ids;
/// `extendedFields.items` merge key by key (`null` removes a key).
struct ContactMerger {
    /// Makes new item ids.
    var makeID: () -> String
    /// Whether a sent item id that names no stored item is kept too (once): an undo puts items
    /// back with the ids they had (SPEC §7), even when they were removed since.
    var keepsSentIDs = false

    /// Applies `patch` to `info` in place. `info` holds `stored` when called (the update's
    /// contact is a copy of the stored one): merging into it, rather than into a copy of
    /// `stored` returned, copies (and retains every field of) the whole `info` once less.
    func merge(_ patch: ContactInfoPatch, into info: inout ContactInfo, stored: ContactInfo) {
        for field in patch.sentFields {
            let cleared = patch.clearedFields.contains(field)
            switch field {
            case "name": info.name = cleared ? nil : patch.info.name
            case "emails":
                info.emails =
                    cleared
                    ? nil
                    : withIDs(patch.info.emails, stored: stored.emails?.compactMap(\.id) ?? []) {
                        $0.id
                    } assign: {
                        $0.id = $1
                    }
            case "phones":
                info.phones =
                    cleared
                    ? nil
                    : withIDs(patch.info.phones, stored: stored.phones?.compactMap(\.id) ?? []) {
                        $0.id
                    } assign: {
                        $0.id = $1
                    }
            case "addresses":
                info.addresses =
                    cleared
                    ? nil
                    : withIDs(patch.info.addresses, stored: stored.addresses?.compactMap(\.id) ?? []) {
                        $0.id
                    } assign: {
                        $0.id = $1
                    }
            case "company": info.company = cleared ? nil : patch.info.company
            case "jobTitle": info.jobTitle = cleared ? nil : patch.info.jobTitle
            case "birthdate": info.birthdate = cleared ? nil : patch.info.birthdate
            case "locale": info.locale = cleared ? nil : patch.info.locale
            case "labelKeys": info.labelKeys = cleared ? nil : patch.info.labelKeys
            case "extendedFields":
                info.extendedFields = mergeExtendedFields(patch, cleared: cleared, stored: stored.extendedFields)
            case "picture": info.picture = cleared ? nil : patch.info.picture
            default: break  // unknown fields were rejected when the patch was decoded
            }
        }
    }

    /// Keeps a sent id only when it names a stored item (or, with ``keepsSentIDs``, any id not
    /// taken), and only once; everything else gets a new id.
    private func withIDs<Item>(
        _ items: [Item]?, stored: [String], id: (Item) -> String?, assign: (inout Item, String) -> Void
    ) -> [Item]? {
        guard let items else { return nil }
        var available = Set(stored)
        var used: Set<String> = []
        return items.map { item in
            var item = item
            if let sent = id(item),
                available.remove(sent) != nil || (keepsSentIDs && !sent.isEmpty && !stored.contains(sent)),
                used.insert(sent).inserted
            {
                return item
            }
            assign(&item, makeID())
            return item
        }
    }

    /// Keys sent are set, keys sent as `null` are removed, others are kept. Clearing the whole
    /// field removes the writable keys; read-only system keys are the server's and stay.
    private func mergeExtendedFields(_ patch: ContactInfoPatch, cleared: Bool, stored: JSONObject?) -> JSONObject? {
        var merged = stored ?? JSONObject()
        // `null` or `{ "items": {} }`: the patch marks those as a clear.
        if cleared {
            for key in merged.keys where !ContactInfo.isReadOnlyExtendedField(key) { merged[key] = nil }
            return merged.isEmpty ? nil : merged
        }
        let sent = patch.json["extendedFields"]?["items"]?.objectValue ?? JSONObject()
        for (key, value) in sent {
            if ContactInfo.isReadOnlyExtendedField(key) { continue }  // checked by the validator
            merged[key] = value.isNull ? JSONValue?.none : value  // a bare `nil` here would be JSONValue.null
        }
        return merged.isEmpty ? nil : merged
    }
}
