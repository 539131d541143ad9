public import JSONCore

/// One invalid field of a request, in the shape of Wix's `validationError.fieldViolations`.
public struct FieldViolation: Sendable, Hashable, CustomStringConvertible {
    /// The dotted path of the field, for example `info.emails.items[2].email`.
    public var field: String
    /// One plain sentence saying what is wrong. Never contains the field's value.
    public var description: String
    /// The kind of rule broken: `TYPE`, `FORMAT`, `MAX_SIZE`, `UNKNOWN_FIELD`, `ENUM`, `REQUIRED`, `NOT_FOUND`.
    public var violatedRule: String

    /// Creates a violation.
    public init(field: String, description: String, violatedRule: String) {
        self.field = field
        self.description = description
        self.violatedRule = violatedRule
    }

    /// The violation as Wix writes it.
    public var json: JSONValue {
        ["field": .string(field), "description": .string(description), "violatedRule": .string(violatedRule)]
    }
}
