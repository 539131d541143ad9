import GRDB
import JSONCore
import WixContacts

/// Turns a Wix query filter into an SQL condition over the `contact` table.
///
/// Fields: `id`, `info.name.first`, `info.name.last`, `info.company`, `primaryInfo.email`,
/// `primaryInfo.phone`, `info.emails.email`, `info.phones.phone`, `info.labelKeys`, `createdDate`,
/// `updatedDate`. Operators: `$eq`, `$ne`, `$in`, `$startsWith`, `$exists`, `$gt`, `$gte`, `$lt`,
/// `$lte`, `$hasSome`, `$hasAll`, combined with `$and`, `$or`, `$not`. A bare value means `$eq`.
/// Emails compare case-insensitively; `$startsWith` is case-insensitive everywhere.
///
/// Every condition that selects a few contacts is written so SQLite answers it from an index
/// (`QueryPlanTests` checks the plans): list items as `id IN (SELECT contact_id FROM <side table>
/// WHERE ...)`, which searches the side table's value index and then the contacts by id (a
/// correlated `EXISTS` would be tested once per contact, a full scan); `$startsWith` as a range
/// on an index whose order is the lowercased one (``PrefixSearch``), with the exact test kept
/// beside it so the result is what it always was. Negations (`$ne`, `$exists: false` on items,
/// `$not`) match most contacts and are scans by nature.
struct ContactFilterCompiler {
    private(set) var arguments: [(any DatabaseValueConvertible)?] = []

    /// How `$startsWith` finds its range (case-insensitively, as SQLite's ASCII `lower()` folds).
    enum PrefixSearch {
        /// The column holds lowercased values: a range on the column's own index.
        case lowercasedColumn
        /// An index on `lower(column)` (`v-query-indexes`): a range on it.
        case lowerIndex
        /// Values that seldom hold letters (phones): a range on the column's own index when the
        /// prefix has no ASCII letter (`lower()` then changes nothing in the matching part), a
        /// scan otherwise.
        case withoutLetters
        /// No index for prefixes (ids, dates, label keys: Wix lists no `$startsWith` for them).
        case none
    }

    enum Field {
        case column(String, lowercased: Bool, prefix: PrefixSearch)
        case list(table: String, column: String, lowercased: Bool, prefix: PrefixSearch)
    }

    static let fields: [String: Field] = [
        "id": .column("id", lowercased: false, prefix: .none),
        "info.name.first": .column("first_name", lowercased: false, prefix: .lowerIndex),
        "info.name.last": .column("last_name", lowercased: false, prefix: .lowerIndex),
        "info.company": .column("company", lowercased: false, prefix: .lowerIndex),
        "primaryInfo.email": .column("primary_email", lowercased: true, prefix: .lowercasedColumn),
        "primaryInfo.phone": .column("primary_phone", lowercased: false, prefix: .withoutLetters),
        "createdDate": .column("created_date", lowercased: false, prefix: .none),
        "updatedDate": .column("updated_date", lowercased: false, prefix: .none),
        "info.emails.email": .list(
            table: "contact_email", column: "email", lowercased: true, prefix: .lowercasedColumn),
        "info.phones.phone": .list(
            table: "contact_phone_number", column: "phone", lowercased: false, prefix: .withoutLetters),
        "info.labelKeys": .list(table: "contact_label", column: "label_key", lowercased: false, prefix: .none),
    ]

    /// The SQL column to sort on for a field path.
    static func sortColumn(_ field: String) -> String? {
        switch fields[field] {
        case .column(let column, _, _): return column
        case .list(table: "contact_email", _, _, _): return "primary_email"
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
        let prefixSearch: PrefixSearch
        var list: (table: String, column: String)?
        switch field {
        case .column(let name, let lower, let prefix):
            column = name
            lowercased = lower
            prefixSearch = prefix
        case .list(let table, let name, let lower, let prefix):
            column = "l." + name
            lowercased = lower
            prefixSearch = prefix
            list = (table, name)
        }
        /// The contacts with an item matching `predicate`, found through the side table's index.
        func some(_ predicate: String) -> String {
            guard let list else { return predicate }
            return "contact.contact_key IN (SELECT l.contact_key FROM \(list.table) l WHERE \(predicate))"
        }
        /// The contacts with no item matching `predicate`: a negation, tested contact by contact
        /// through the side table's key (`contact_key`, then the value).
        func none(_ predicate: String) -> String {
            guard let list else { return "NOT (\(predicate))" }
            return
                "NOT EXISTS (SELECT 1 FROM \(list.table) l WHERE l.contact_key = contact.contact_key AND \(predicate))"
        }
        let isDate = Self.dateColumns.contains(column)
        switch op {
        case "$eq":
            if operand.isNull { return list == nil ? "\(column) IS NULL" : none("1") }
            return some("\(column) = \(try bind(operand, lowercased, path, date: isDate))")
        case "$ne":
            if operand.isNull { return list == nil ? "\(column) IS NOT NULL" : some("1") }
            let equal = "\(column) = \(try bind(operand, lowercased, path, date: isDate))"
            return list == nil ? "(\(column) IS NULL OR NOT \(equal))" : none(equal)
        case "$in", "$hasSome":
            guard let values = operand.arrayValue else { throw invalid(path, "Expected an array.") }
            if values.isEmpty { return "0" }
            var placeholders: [String] = []
            for (index, value) in values.enumerated() {
                placeholders.append(try bind(value, lowercased, "\(path)[\(index)]", date: isDate))
            }
            return some("\(column) IN (\(placeholders.joined(separator: ", ")))")
        case "$hasAll":
            guard let values = operand.arrayValue else { throw invalid(path, "Expected an array.") }
            var parts: [String] = []
            for (index, value) in values.enumerated() {
                parts.append(some("\(column) = \(try bind(value, lowercased, "\(path)[\(index)]", date: isDate))"))
            }
            return parts.isEmpty ? "1" : "(" + parts.joined(separator: " AND ") + ")"
        case "$startsWith":
            guard let prefix = operand.stringValue else { throw invalid(path, "Expected a string.") }
            return some(startsWith(column, prefix.lowercased(), prefixSearch))
        case "$exists":
            guard let exists = operand.boolValue else { throw invalid(path, "Expected a boolean.") }
            if list != nil { return exists ? some("1") : none("1") }
            return exists ? "\(column) IS NOT NULL" : "\(column) IS NULL"
        case "$gt", "$gte", "$lt", "$lte":
            let sqlOperator = ["$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="][op]!
            let range = "\(column) \(sqlOperator) \(try bind(operand, lowercased, path, date: isDate))"
            // SQLite guesses an open range holds a quarter of the rows and would rather walk the
            // sort's index, testing every contact; "changed since" ranges are mostly narrow, so
            // tell it to expect few (the result is the same either way).
            return list == nil ? "likelihood(\(range), 0.01)" : some(range)
        default:
            throw invalid(path, "Unknown operator.")
        }
    }

    /// `column` starts with `prefix` (already lowercased) once SQLite's `lower()` has folded it:
    /// the exact test, behind a range over an index where one exists.
    ///
    /// Every value whose folded form starts with `prefix` lies in `[prefix, successor)`, where
    /// the successor replaces the prefix's last character by the next one (UTF-8 keeps the
    /// order of code points), so the range only narrows what the exact test then checks.
    private mutating func startsWith(_ column: String, _ prefix: String, _ search: PrefixSearch) -> String {
        let exact = "substr(lower(\(column)), 1, length(?)) = ?"
        var indexed: String?
        switch search {
        case .lowercasedColumn: indexed = column
        case .lowerIndex: indexed = "lower(\(column))"
        case .withoutLetters:
            if !prefix.unicodeScalars.contains(where: { $0.isASCII && $0.properties.isAlphabetic }) {
                indexed = column
            }
        case .none: break
        }
        guard let indexed, !prefix.isEmpty else {
            arguments += [prefix, prefix]
            return exact
        }
        arguments.append(prefix)
        var range = "\(indexed) >= ?"
        if let successor = Self.successor(of: prefix) {
            arguments.append(successor)
            range += " AND \(indexed) < ?"
        }
        arguments += [prefix, prefix]
        return "\(range) AND \(exact)"
    }

    /// The least string above every string that starts with `prefix`, when there is one.
    static func successor(of prefix: String) -> String? {
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            var next = last.value + 1
            if (0xD800...0xDFFF).contains(next) { next = 0xE000 }
            if let scalar = Unicode.Scalar(next) {
                scalars.append(scalar)
                var result = ""
                result.unicodeScalars.append(contentsOf: scalars)
                return result
            }
        }
        return nil
    }

    /// The columns that hold dates, as `Timestamp.rfc3339` writes them: UTC, milliseconds.
    static let dateColumns: Set<String> = ["created_date", "updated_date"]

    /// `text` as milliseconds since 1970: an RFC 3339 date-time, or a date alone (`2026-12-05`,
    /// its midnight UTC); `nil` for anything else.
    static func dateMilliseconds(_ text: String) -> Int64? {
        if let milliseconds = Timestamp.millisecondsSince1970(rfc3339: text) { return milliseconds }
        guard text.utf8.count == 10 else { return nil }
        return Timestamp.millisecondsSince1970(rfc3339: text + "T00:00:00Z")
    }

    /// Binds `value`; against a date column (`date`), a string in the form the column holds
    /// (milliseconds since 1970, `v-integer-dates`): an RFC 3339 date-time at its instant
    /// (`…T12:00:00+02:00` is `…T10:00:00Z`), a date alone at its midnight UTC.
    ///
    /// - Throws: `INVALID_ARGUMENT` for another string against a date.
    private mutating func bind(_ value: JSONValue, _ lowercased: Bool, _ path: String, date: Bool = false)
        throws(ContactsError) -> String
    {
        switch value {
        case .string(let string) where date:
            guard let milliseconds = Self.dateMilliseconds(string) else {
                throw invalid(path, "Expected a date-time such as 2026-12-05T10:00:00Z, or a date such as 2026-12-05.")
            }
            arguments.append(milliseconds)
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
