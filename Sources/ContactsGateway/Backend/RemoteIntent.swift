import JSONCore

/// What an intent of a change that is no plain update or create records in its `patch`, so the
/// next start can settle it by looking at the site: `{"$op": "delete"}`,
/// `{"$op": "merge", "sourceIds": [...]}`, `{"$op": "recreate", "info": {...}}`.
enum RemoteIntent: Equatable {
    /// The contact is deleted (alone, or as a merge's source).
    case delete
    /// The contact is a merge's target.
    case merge(sourceIds: [String])
    /// A deleted contact is created again from `info`.
    case recreate(info: JSONValue)

    /// The intent's `patch`.
    var json: JSONValue {
        switch self {
        case .delete: return ["$op": "delete"]
        case .merge(let sourceIds): return ["$op": "merge", "sourceIds": .array(sourceIds.map { .string($0) })]
        case .recreate(let info): return ["$op": "recreate", "info": info]
        }
    }

    /// Reads a `patch`; `nil` for a plain update's or create's `info`.
    init?(json: JSONValue) {
        switch json["$op"]?.stringValue {
        case "delete": self = .delete
        case "merge": self = .merge(sourceIds: json["sourceIds"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        case "recreate": self = .recreate(info: json["info"] ?? .null)
        default: return nil
        }
    }
}
