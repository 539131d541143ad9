import GRDB
import JSONCore
import WixContacts

/// Turns a Wix query filter into an SQL condition over the `contact` table.
///
/// Fields: `id`, `info.name.first`, `info.name.last`, `info.company`, `primaryInfo.email`,
/// `primaryInfo.phone`, `info.emails.email`, `info.labelKeys`, `createdDate`, `updatedDate`.
/// Operators: `$eq`, `$ne`, `$in`, `$startsWith`, `$exists`, `$gt`, `$gte`, `$lt`, `$lte`,
/// `$hasSome`, `$hasAll`, combined with `$and`, `$or`, `$not`. A bare value means `$eq`.
/// Emails compare case-insensitively; `$startsWith` is case-insensitive everywhere.
struct ContactFilterCompiler {
    private(set) var arguments: [(any DatabaseValueConvertible)?] = []

    enum Field {
        case column(String, lowercased: Bool)
        case list(table: String, column: String, lowercased: Bool)
    }

    static let fields: [String: Field] = [
        "id": .column("id", lowercased: false),
        "info.name.first": .column("first_name", lowercased: false),
        "info.name.last": .column("last_name", lowercased: false),
        "info.company": .column("company", lowercased: false),
        "primaryInfo.email": .column("primary_email", lowercased: true),
        "primaryInfo.phone": .column("primary_phone", lowercased: false),
        "createdDate": .column("created_date", lowercased: false),
        "updatedDate": .column("updated_date", lowercased: false),
        "info.emails.email": .list(table: "contact_email", column: "email", lowercased: true),
        "info.labelKeys": .list(table: "contact_label", column: "label_key", lowercased: false),
    ]

    /// The SQL column to sort on for a field path.
    static func sortColumn(_ field: String) -> String? {
        switch fields[field] {
        case .column(let column, _): return column
        case .list(table: "contact_email", _, _): return "primary_email"
        default: return nil
        }
    }

    mutating func compile(_ filter: JSONObject, path: String = "filter") throws(ContactsError) -> String {
        var conditions: [String] = []
        for (key, value) in filter {
            let memberPath = "\(path).\(key)"
            switch key {
            case "$and", "$or":
                guard let parts = value.arrayValue, !parts.isEmpty else {
                    throw invalid(memberPath, "Expected a non-empty array of filters.")
                }
                var compiled: [String] = []
                for (index, part) in parts.enumerated() {
                    guard let object = part.objectValue else {
                        throw invalid("\(memberPath)[\(index)]", "Expected a filter object.")
                    }
                    compiled.append(try compile(object, path: "\(memberPath)[\(index)]"))
                }
                conditions.append("(" + compiled.joined(separator: key == "$and" ? " AND " : " OR ") + ")")
            case "$not":
                guard let object = value.objectValue else { throw invalid(memberPath, "Expected a filter object.") }
                conditions.append("NOT (\(try compile(object, path: memberPath)))")
            default:
                guard let field = Self.fields[key] else {
                    throw invalid(memberPath, "This field cannot be filtered on.")
                }
                conditions.append(try condition(field, value, path: memberPath))
            }
        }
        return conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")
    }

    private mutating func condition(_ field: Field, _ value: JSONValue, path: String) throws(ContactsError) -> String {
        guard case .object(let operators) = value, !operators.isEmpty, operators.keys.allSatisfy({ $0.hasPrefix("$") })
        else {
            return try comparison(field, "$eq", value, path: path)
        }
        var parts: [String] = []
        for (op, operand) in operators { parts.append(try comparison(field, op, operand, path: "\(path).\(op)")) }
        return parts.joined(separator: " AND ")
    }

    private mutating func comparison(_ field: Field, _ op: String, _ operand: JSONValue, path: String)
        throws(ContactsError)
        -> String
    {
        let column: String
        let lowercased: Bool
        var list: (table: String, column: String)?
        switch field {
        case .column(let name, let lower):
            column = name
            lowercased = lower
        case .list(let table, let name, let lower):
            column = "l." + name
            lowercased = lower
            list = (table, name)
        }
        func wrap(_ predicate: String) -> String {
            guard let list else { return predicate }
            return "EXISTS (SELECT 1 FROM \(list.table) l WHERE l.contact_id = contact.id AND \(predicate))"
        }
        switch op {
        case "$eq":
            if operand.isNull { return list == nil ? "\(column) IS NULL" : "NOT \(wrap("1"))" }
            return wrap("\(column) = \(try bind(operand, lowercased, path))")
        case "$ne":
            if operand.isNull { return list == nil ? "\(column) IS NOT NULL" : wrap("1") }
            let equal = "\(column) = \(try bind(operand, lowercased, path))"
            return list == nil ? "(\(column) IS NULL OR NOT \(equal))" : "NOT \(wrap(equal))"
        case "$in", "$hasSome":
            guard let values = operand.arrayValue else { throw invalid(path, "Expected an array.") }
            if values.isEmpty { return "0" }
            var placeholders: [String] = []
            for (index, value) in values.enumerated() {
                placeholders.append(try bind(value, lowercased, "\(path)[\(index)]"))
            }
            return wrap("\(column) IN (\(placeholders.joined(separator: ", ")))")
        case "$hasAll":
            guard let values = operand.arrayValue else { throw invalid(path, "Expected an array.") }
            var parts: [String] = []
            for (index, value) in values.enumerated() {
                parts.append(wrap("\(column) = \(try bind(value, lowercased, "\(path)[\(index)]"))"))
            }
            return parts.isEmpty ? "1" : "(" + parts.joined(separator: " AND ") + ")"
        case "$startsWith":
            guard let prefix = operand.stringValue else { throw invalid(path, "Expected a string.") }
            arguments.append(prefix.lowercased())
            arguments.append(prefix.lowercased())
            return wrap("substr(lower(\(column)), 1, length(?)) = ?")
        case "$exists":
            guard let exists = operand.boolValue else { throw invalid(path, "Expected a boolean.") }
            if list != nil { return exists ? wrap("1") : "NOT \(wrap("1"))" }
            return exists ? "\(column) IS NOT NULL" : "\(column) IS NULL"
        case "$gt", "$gte", "$lt", "$lte":
            let sqlOperator = ["$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="][op]!
            return wrap("\(column) \(sqlOperator) \(try bind(operand, lowercased, path))")
        default:
            throw invalid(path, "Unknown operator.")
        }
    }

    private mutating func bind(_ value: JSONValue, _ lowercased: Bool, _ path: String) throws(ContactsError) -> String {
        switch value {
        case .string(let string): arguments.append(lowercased ? string.lowercased() : string)
        case .int(let number): arguments.append(number)
        case .double(let number): arguments.append(number)
        case .bool(let flag): arguments.append(flag)
        default: throw invalid(path, "Expected a string, number or boolean.")
        }
        return "?"
    }

    private func invalid(_ path: String, _ description: String) -> ContactsError {
        ContactsError.invalidArgument([FieldViolation(field: path, description: description, violatedRule: "FORMAT")])
    }
}
