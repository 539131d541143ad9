import Foundation
public import GRDB
public import JSONCore
public import WixContacts

extension ContactStore {
    /// Returns the label with this display name (case-insensitive), creating it if needed.
    ///
    /// - Throws: `INVALID_ARGUMENT` when the display name is empty.
    public func findOrCreateLabel(displayName: String) async throws -> ContactLabel {
        let name = try Self.checkedDisplayName(displayName)
        return try await write { db in
            if let row = try Row.fetchOne(
                db, sql: "SELECT key, display_name FROM label WHERE display_name = ? COLLATE NOCASE", arguments: [name])
            {
                return ContactLabel(key: row[0], displayName: row[1])
            }
            let key = try Self.uniqueKey(db, table: "label", base: "custom." + Self.slug(name))
            try db.execute(sql: "INSERT INTO label (key, display_name) VALUES (?, ?)", arguments: [key, name])
            return ContactLabel(key: key, displayName: name)
        }
    }

    /// Returns the extended field with this display name (case-insensitive), creating it if needed.
    ///
    /// - Throws: `INVALID_ARGUMENT` when the name is empty or the field exists with another type.
    public func findOrCreateExtendedField(displayName: String, dataType: ExtendedFieldType) async throws
        -> ExtendedFieldDefinition
    {
        let name = try Self.checkedDisplayName(displayName)
        return try await write { db in
            if let row = try Row.fetchOne(
                db,
                sql: "SELECT key, display_name, data_type FROM extended_field WHERE display_name = ? COLLATE NOCASE",
                arguments: [name])
            {
                let existing = ExtendedFieldDefinition(
                    key: row[0], displayName: row[1], dataType: ExtendedFieldType(rawValue: row[2]) ?? .text)
                guard existing.dataType == dataType else {
                    throw ContactsError.invalidArgument([
                        FieldViolation(
                            field: "dataType", description: "The field exists with type \(existing.dataType.rawValue).",
                            violatedRule: "CONFLICT")
                    ])
                }
                return existing
            }
            let key = try Self.uniqueKey(db, table: "extended_field", base: "custom." + Self.slug(name))
            try db.execute(
                sql: "INSERT INTO extended_field (key, display_name, data_type) VALUES (?, ?, ?)",
                arguments: [key, name, dataType.rawValue])
            return ExtendedFieldDefinition(key: key, displayName: name, dataType: dataType)
        }
    }

    /// Every extended field, system ones included, by key.
    public func extendedFields() async throws -> [ExtendedFieldDefinition] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT key, display_name, data_type FROM extended_field ORDER BY key").map {
                ExtendedFieldDefinition(
                    key: $0[0], displayName: $0[1], dataType: ExtendedFieldType(rawValue: $0[2]) ?? .text)
            }
        }
    }

    /// Every label, by key.
    public func labels() async throws -> [ContactLabel] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT key, display_name FROM label ORDER BY key").map {
                ContactLabel(key: $0[0], displayName: $0[1])
            }
        }
    }

    private static func checkedDisplayName(_ name: String) throws(ContactsError) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 150 else {
            throw ContactsError.invalidArgument([
                FieldViolation(
                    field: "displayName", description: "Expected 1 to 150 characters.", violatedRule: "FORMAT")
            ])
        }
        return trimmed
    }

    /// `"VIP Customers!"` → `vip-customers`.
    static func slug(_ name: String) -> String {
        var slug = ""
        var pendingDash = false
        for scalar in name.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingDash && !slug.isEmpty { slug += "-" }
                pendingDash = false
                slug.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        return slug.isEmpty ? "field" : slug
    }

    private static func uniqueKey(_ db: Database, table: String, base: String) throws -> String {
        var key = base
        var suffix = 2
        while try Bool.fetchOne(db, sql: "SELECT 1 FROM \(table) WHERE key = ?", arguments: [key]) != nil {
            key = "\(base)-\(suffix)"
            suffix += 1
        }
        return key
    }
}
