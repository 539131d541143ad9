import Foundation
public import JSONCore


/// The data type of an extended field, which its values must match.
public enum ExtendedFieldType: String, Sendable, CaseIterable {
    /// Any string.
    case text = "TEXT"
    /// A number.
    case number = "NUMBER"
    /// A `YYYY-MM-DD` date.
    case date = "DATE"
    /// An http(s) URL.
    case url = "URL"

    /// Whether `value` is a valid value of this type.
    public func accepts(_ value: JSONValue) -> Bool {
        switch self {
        case .text: return value.stringValue != nil
        case .number: return value.isNumber
        case .date: return value.stringValue.map(CalendarDate.isValid) ?? false
        case .url:
            guard let text = value.stringValue, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
                scheme == "http" || scheme == "https", url.host?.isEmpty == false
            else { return false }
            return true
        }
    }
}
