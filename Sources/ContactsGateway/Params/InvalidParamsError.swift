/// A request's params do not fit the method: unknown, missing or mistyped, or out of range.
///
/// Protocol-neutral: the JSON-RPC adapter answers it with `-32602` and `data.field`; another
/// front end reports it its own way. `message` is one plain sentence naming the param.
///
/// ```swift
/// throw InvalidParamsError(field: "paging.limit", message: "Param 'paging.limit' must be an integer from 1 to 1000.")
/// ```
public struct InvalidParamsError: Error, Sendable, Equatable {
    /// The param at fault, as a path (`contactId`, `paging.limit`, `sort[0].order`).
    public var field: String
    /// One plain sentence for a human.
    public var message: String

    /// An error naming `field`.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

extension InvalidParamsError: CustomStringConvertible {
    /// The field and the message.
    public var description: String { "Invalid param '\(field)': \(message)" }
}
