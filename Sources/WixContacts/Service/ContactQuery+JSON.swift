public import JSONCore

/// A member of a query object that cannot be read, named by its path inside the query
/// (`paging.limit`, `sort[1].order`): the emulator reports it as a Wix validation error, the
/// gateway as an invalid param.
public struct ContactQueryError: Error, Sendable, Equatable {
    /// The member's path inside the query object.
    public var field: String
    /// One plain sentence naming the member.
    public var message: String
    /// Wix's `violatedRule` for it (`TYPE`, `REQUIRED`, `ENUM`, `RANGE`, `UNKNOWN`).
    public var rule: String
}

extension ContactQuery {
    /// Wix's query object, `{ filter, sort, paging }`, as the REST client sends it.
    public var json: JSONObject {
        var object: JSONObject = ["paging": ["limit": .int(limit), "offset": .int(offset)]]
        if !filter.isEmpty { object["filter"] = .object(filter) }
        if !sort.isEmpty {
            object["sort"] = .array(sort.map { ["fieldName": .string($0.fieldName), "order": $0.ascending ? "ASC" : "DESC"] })
        }
        return object
    }

    /// Reads Wix's query object. `null` members count as absent. With `rejectingUnknownMembers`
    /// (the gateway's own params, where a typo must not pass silently) a member of `paging` or of
    /// a sort key that the query language does not have is an error; Wix clients may send more
    /// (`fieldsets`), which the emulator ignores as Wix does.
    public init(json object: JSONObject, rejectingUnknownMembers: Bool = false) throws(ContactQueryError) {
        self.init()
        if let filter = object["filter"], !filter.isNull {
            guard let filter = filter.objectValue else { throw Self.error("filter", "must be an object", "TYPE") }
            self.filter = filter
        }
        if let paging = object["paging"], !paging.isNull {
            guard let paging = paging.objectValue else { throw Self.error("paging", "must be an object", "TYPE") }
            for (key, value) in paging where !value.isNull {
                switch key {
                case "limit":
                    guard case .int(let limit) = value, (1...Self.maximumLimit).contains(limit) else {
                        throw Self.error("paging.limit", "must be an integer from 1 to 1000", "RANGE")
                    }
                    self.limit = limit
                case "offset":
                    guard case .int(let offset) = value, offset >= 0 else {
                        throw Self.error("paging.offset", "must be a non-negative integer", "RANGE")
                    }
                    self.offset = offset
                default:
                    if rejectingUnknownMembers { throw Self.error("paging.\(key)", "is not a paging member", "UNKNOWN") }
                }
            }
        }
        if let sort = object["sort"], !sort.isNull {
            guard let keys = sort.arrayValue else { throw Self.error("sort", "must be an array", "TYPE") }
            for (index, key) in keys.enumerated() {
                self.sort.append(try Self.sortKey(key, path: "sort[\(index)]", rejectingUnknownMembers))
            }
        }
    }

    private static func sortKey(_ value: JSONValue, path: String, _ rejectingUnknownMembers: Bool) throws(ContactQueryError)
        -> SortKey
    {
        guard let key = value.objectValue else { throw error(path, "must be { fieldName, order }", "TYPE") }
        guard let fieldName = key["fieldName"]?.stringValue else {
            throw error(path + ".fieldName", "is required", "REQUIRED")
        }
        let order = key["order"]?.stringValue ?? "ASC"
        guard order == "ASC" || order == "DESC" else { throw error(path + ".order", "must be ASC or DESC", "ENUM") }
        if rejectingUnknownMembers, let unknown = key.keys.first(where: { $0 != "fieldName" && $0 != "order" }) {
            throw error(path + ".\(unknown)", "is not a sort key member", "UNKNOWN")
        }
        return SortKey(fieldName: fieldName, ascending: order == "ASC")
    }

    private static func error(_ field: String, _ problem: String, _ rule: String) -> ContactQueryError {
        ContactQueryError(field: field, message: "'\(field)' \(problem).", rule: rule)
    }
}
