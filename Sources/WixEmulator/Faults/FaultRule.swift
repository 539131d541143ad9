public import JSONCore
public import WixContacts

/// One injected fault: what goes wrong, for which requests, and how often.
///
/// Its JSON (the body of `POST /_emulator/faults`, and of the executable's `--fault`):
/// ```json
/// { "kind": "status", "status": 429, "retryAfterSeconds": 1, "count": 2,
///   "methods": ["PATCH"], "pathPrefix": "/contacts" }
/// { "kind": "latency", "latencyMs": 300, "rate": 0.5 }
/// { "kind": "drop", "after": true, "methods": ["PATCH"], "count": 1 }
/// ```
/// A rule fires on a matching request with probability `rate` (default 1) until it has fired
/// `count` times (default: until cleared).
public struct FaultRule: Sendable, Equatable {
    /// What the fault does.
    public enum Kind: String, Sendable, CaseIterable {
        /// Waits `latencyMs`, then handles the request normally.
        case latency
        /// Answers `status` with a Wix error body instead of handling the request.
        case status
        /// Closes the connection without answering (after handling the request when `after`).
        case drop
    }

    /// What the fault does.
    public var kind: Kind
    /// The HTTP status of a `status` fault (400...599; default 503).
    public var status: Int
    /// The `Retry-After` header of a `status` fault; 429 gets 1 second unless told otherwise.
    public var retryAfterSeconds: Int?
    /// A delay before the fault acts (the whole effect of a `latency` fault).
    public var latencyMs: Int
    /// How many more times the rule fires; `nil` until cleared.
    public var count: Int?
    /// The chance, 0...1, that a matching request triggers the fault.
    public var rate: Double
    /// The request methods it applies to (`"PATCH"`); `nil` for all.
    public var methods: Set<String>?
    /// The path prefix it applies to (`"/contacts"`); `nil` for every route but `/_emulator`.
    public var pathPrefix: String?
    /// For `drop`: handle the request first, so the change is made but the answer is lost.
    public var after: Bool

    /// Creates a rule.
    public init(
        kind: Kind, status: Int = 503, retryAfterSeconds: Int? = nil, latencyMs: Int = 0, count: Int? = nil,
        rate: Double = 1, methods: Set<String>? = nil, pathPrefix: String? = nil, after: Bool = false
    ) {
        self.kind = kind
        self.status = status
        self.retryAfterSeconds = retryAfterSeconds ?? (status == 429 ? 1 : nil)
        self.latencyMs = latencyMs
        self.count = count
        self.rate = rate
        self.methods = methods
        self.pathPrefix = pathPrefix
        self.after = after
    }

    /// Whether the rule applies to a request (before `rate` and `count`).
    public func matches(method: String, path: String) -> Bool {
        if let methods, !methods.contains(method.uppercased()) { return false }
        if let pathPrefix, !path.hasPrefix(pathPrefix) { return false }
        return true
    }
}

// MARK: - JSON

extension FaultRule {
    /// Reads a rule from its JSON.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the member that is missing, of the wrong type or out of range.
    public init(json value: JSONValue) throws(ContactsError) {
        guard case .object(let object) = value else { throw Self.invalid("fault", "A fault must be an object.") }
        let known: Set = [
            "kind", "status", "retryAfterSeconds", "latencyMs", "count", "rate", "methods", "pathPrefix", "after",
        ]
        if let unknown = object.keys.first(where: { !known.contains($0) }) {
            throw Self.invalid(unknown, "Unknown fault member '\(unknown)'.", rule: "UNKNOWN_FIELD")
        }
        guard let kindName = object["kind"]?.stringValue, let kind = Kind(rawValue: kindName) else {
            throw Self.invalid("kind", "The fault kind must be latency, status or drop.", rule: "ENUM")
        }
        let status = try Self.int(object, "status", in: 400...599) ?? 503
        var methods: Set<String>?
        if let list = object["methods"], !list.isNull {
            guard let names = list.arrayValue?.compactMap(\.stringValue), names.count == list.arrayValue?.count else {
                throw Self.invalid("methods", "The methods must be an array of strings.")
            }
            methods = Set(names.map { $0.uppercased() })
        }
        let rate = object["rate"]?.doubleValue ?? 1
        guard (0...1).contains(rate) else { throw Self.invalid("rate", "The rate must be from 0.0 to 1.0.") }
        if let prefix = object["pathPrefix"], !prefix.isNull, prefix.stringValue == nil {
            throw Self.invalid("pathPrefix", "The path prefix must be a string.")
        }
        if let after = object["after"], !after.isNull, after.boolValue == nil {
            throw Self.invalid("after", "The after flag must be a boolean.")
        }
        self.init(
            kind: kind, status: status,
            retryAfterSeconds: try Self.int(object, "retryAfterSeconds", in: 0...86_400),
            latencyMs: try Self.int(object, "latencyMs", in: 0...600_000) ?? 0,
            count: try Self.int(object, "count", in: 1...1_000_000),
            rate: rate, methods: methods, pathPrefix: object["pathPrefix"]?.stringValue,
            after: object["after"]?.boolValue ?? false)
    }

    /// The rule as JSON, in the shape it is read from.
    public var json: JSONValue {
        var object: JSONObject = ["kind": .string(kind.rawValue)]
        if kind == .status { object["status"] = .int(status) }
        if let retryAfterSeconds { object["retryAfterSeconds"] = .int(retryAfterSeconds) }
        if latencyMs > 0 { object["latencyMs"] = .int(latencyMs) }
        if let count { object["count"] = .int(count) }
        object["rate"] = .double(rate)
        if let methods { object["methods"] = .array(methods.sorted().map { .string($0) }) }
        if let pathPrefix { object["pathPrefix"] = .string(pathPrefix) }
        if kind == .drop { object["after"] = .bool(after) }
        return .object(object)
    }

    private static func int(_ object: JSONObject, _ key: String, in range: ClosedRange<Int>) throws(ContactsError)
        -> Int?
    {
        guard let value = object[key], !value.isNull else { return nil }
        guard let int = value.intValue, range.contains(int) else {
            throw invalid(key, "'\(key)' must be an integer from \(range.lowerBound) to \(range.upperBound).")
        }
        return int
    }

    private static func invalid(_ field: String, _ description: String, rule: String = "FORMAT") -> ContactsError {
        ContactsError.invalidArgument([FieldViolation(field: field, description: description, violatedRule: rule)])
    }
}
