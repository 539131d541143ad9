public import WixContacts

/// What applying Wix's rules to a change needs to know besides the contact itself: whether the
/// keys it sets exist in the catalogs, and which other contact already uses an email or phone.
///
/// The embedded store answers from its tables; a dry run against the Wix REST API answers from
/// what it fetched from Wix first (``KnownLookups``).
public protocol PlanningLookups {
    /// Whether a label with this key exists.
    func labelExists(_ key: String) throws -> Bool
    /// The type of the extended field with this key; `nil` when there is none.
    func extendedFieldType(_ key: String) throws -> ExtendedFieldType?
    /// Another contact (not `id`) that has this email (lowercased), if any.
    func contact(usingEmail email: String, other id: String) throws -> String?
    /// Another contact (not `id`) that has this phone key (``ContactRules/phoneKey(_:)``), if any.
    func contact(usingPhoneKey key: String, other id: String) throws -> String?
}

/// Wix's contact rules (SPEC §4) as pure functions of a contact, a patch and the lookups: the
/// engine behind every create and update of the embedded store, and behind a dry run of the wix
/// backend, so both compute the same result.
///
/// ```swift
/// let rules = ContactRules(now: { "2026-12-01T00:00:00.000Z" }, makeID: { UUID().uuidString })
/// let after = try rules.update(before, isMember: false, patch: patch, allowDuplicates: false, lookups: lookups)
/// ```
public struct ContactRules: Sendable {
    /// The time stamped on `updatedDate` / `createdDate`.
    public let now: @Sendable () -> String
    /// New contact and item ids.
    public let makeID: @Sendable () -> String

    /// Rules stamping with `now` and naming with `makeID`.
    public init(now: @escaping @Sendable () -> String, makeID: @escaping @Sendable () -> String) {
        self.now = now
        self.makeID = makeID
    }

    /// The contact `patch` makes of `before` (revision + 1, `updatedDate` now).
    ///
    /// - Parameter lookups: `nil` only when the patch needs none (``needsLookups(_:allowDuplicates:)``).
    /// - Throws: `CANNOT_HAVE_MULTIPLE_PRIMARY_INFO`, `INVALID_ARGUMENT`, `INVALID_EXTENDED_FIELD_VALUE`,
    ///   `INSUFFICIENT_CONTACT_DATA`, `CANNOT_UPDATE_MEMBER_EMAIL`, `DUPLICATE_CONTACT_EXISTS`.
    /// - Parameter restoringItemIDs: keep the ids of list items sent even when they name no
    ///   item the contact holds now (an undo restoring items removed since).
    public func update(
        _ before: Contact, isMember: Bool, patch: ContactInfoPatch, allowDuplicates: Bool,
        lookups: (any PlanningLookups)?, restoringItemIDs: Bool = false
    ) throws -> Contact {
        var after = before
        try merge(patch, into: &after.info, stored: before.info, lookups: lookups, keepingSentIDs: restoringItemIDs)
        after.revision = before.revision + 1
        after.updatedDate = now()
        ContactDeriver.deriveSummaries(&after, previous: before)
        if isMember, before.primaryEmail?.email?.lowercased() != after.primaryEmail?.email?.lowercased() {
            throw ContactsError(.cannotUpdateMemberEmail)
        }
        if !allowDuplicates {
            try checkDuplicates(patch: patch, info: after.info, excluding: before.id, lookups: lookups)
        }
        return after
    }

    /// The contact a create of `patch` makes (revision 1, a new id, source `OTHER` or, for a
    /// member, `WIX_SITE_MEMBERS`).
    public func create(patch: ContactInfoPatch, member: Bool, allowDuplicates: Bool, lookups: (any PlanningLookups)?)
        throws -> Contact
    {
        let timestamp = now()
        var contact = Contact(
            id: makeID(), revision: 1,
            source: ContactSource(sourceType: member ? .siteMembers : .other),
            createdDate: timestamp, updatedDate: timestamp,
            lastActivity: ContactActivity(activityDate: timestamp, activityType: .contactCreated)
        )
        try merge(patch, into: &contact.info, stored: ContactInfo(), lookups: lookups)
        ContactDeriver.deriveSummaries(&contact)
        if !allowDuplicates {
            try checkDuplicates(patch: patch, info: contact.info, excluding: contact.id, lookups: lookups)
        }
        return contact
    }

    /// Whether applying `patch` asks the lookups anything: label and extended-field keys are
    /// checked against their catalogs, and (unless duplicates are allowed) emails and phones
    /// against other contacts.
    public static func needsLookups(_ patch: ContactInfoPatch, allowDuplicates: Bool) -> Bool {
        let fields = patch.sentFields
        if fields.contains("labelKeys") || fields.contains("extendedFields") { return true }
        return !allowDuplicates && (fields.contains("emails") || fields.contains("phones"))
    }

    /// Phones compare on E.164 when valid, else on their digits.
    public static func phoneKey(_ phone: ContactPhone) -> String? {
        if let e164 = phone.e164Phone { return e164 }
        guard let text = phone.phone else { return nil }
        let digits: String
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            // All ASCII: each character is one byte (or "\r\n"), so the digits are the bytes
            // 0-9, the same as the characters' filter below gives, without breaking the text
            // into characters.
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            for byte in text.utf8 where (0x30...0x39).contains(byte) { bytes.append(byte) }
            digits = String(decoding: bytes, as: UTF8.self)
        } else {
            digits = text.filter(\.isASCII).filter(\.isNumber)
        }
        return digits.isEmpty ? nil : digits
    }

    // MARK: - The rules

    /// Applies `patch` to `info`, which holds `stored` when called, and checks the result.
    private func merge(
        _ patch: ContactInfoPatch, into info: inout ContactInfo, stored: ContactInfo, lookups: (any PlanningLookups)?,
        keepingSentIDs: Bool = false
    ) throws {
        try ContactValidator.checkPrimaries(patch)
        let merger = ContactMerger(makeID: makeID, keepsSentIDs: keepingSentIDs)
        merger.merge(patch, into: &info, stored: stored)
        ContactDeriver.normalizePrimaries(&info)
        // Phones kept from the stored contact already carry their derived values.
        if patch.setFields.contains("phones") { ContactDeriver.derivePhones(&info) }
        let validator = ContactValidator(
            labelExists: { key in
                guard let lookups else { preconditionFailure("planned without lookups, though labels are set") }
                return (try? lookups.labelExists(key)) ?? false
            },
            extendedFieldType: { key in
                guard let lookups else {
                    preconditionFailure("planned without lookups, though extended fields are set")
                }
                return (try? lookups.extendedFieldType(key)) ?? nil
            }
        )
        let violations = validator.validate(info, setting: patch.setFields)
        if !violations.isEmpty { throw ContactsError.invalidArgument(violations) }
        if let sent = patch.json["extendedFields"]?["items"]?.objectValue {
            let fieldViolations = validator.validateExtendedFields(sent: sent, stored: stored.extendedFields)
            if !fieldViolations.isEmpty { throw ContactsError.invalidExtendedFieldValue(fieldViolations) }
        }
        ContactDeriver.deriveDisplayNames(&info)
        if info.name == nil && info.emails == nil && info.phones == nil {
            throw ContactsError(.insufficientContactData)
        }
    }

    /// An email sent that another contact uses, or — when no email is sent — a phone sent that
    /// another contact uses, is a duplicate.
    func checkDuplicates(
        patch: ContactInfoPatch, info: ContactInfo, excluding id: String, lookups: (any PlanningLookups)?
    ) throws {
        guard let lookups else {
            precondition(
                !patch.setFields.contains("emails") && !patch.setFields.contains("phones"),
                "planned without lookups, though emails or phones are set")
            return
        }
        if patch.setFields.contains("emails") {
            for email in info.emails ?? [] {
                guard let address = email.email?.lowercased() else { continue }
                if let other = try lookups.contact(usingEmail: address, other: id) {
                    throw ContactsError.duplicateContactExists(duplicateContactId: other, field: "info.emails")
                }
            }
        } else if patch.setFields.contains("phones") {
            for phone in info.phones ?? [] {
                guard let key = Self.phoneKey(phone) else { continue }
                if let other = try lookups.contact(usingPhoneKey: key, other: id) {
                    throw ContactsError.duplicateContactExists(duplicateContactId: other, field: "info.phones")
                }
            }
        }
    }
}

/// Lookups answered from what a caller fetched beforehand (a dry run against the Wix REST API):
/// the label keys and extended fields of the site, and the contacts found using the emails and
/// phones the patch sets.
public struct KnownLookups: PlanningLookups, Sendable {
    /// Every label key of the site.
    public var labelKeys: Set<String>
    /// Every extended field of the site, by key.
    public var extendedFieldTypes: [String: ExtendedFieldType]
    /// Contacts by the (lowercased) emails they use.
    public var contactsByEmail: [String: [String]]
    /// Contacts by the phone keys they use.
    public var contactsByPhoneKey: [String: [String]]

    /// Lookups from fetched data.
    public init(
        labelKeys: Set<String> = [], extendedFieldTypes: [String: ExtendedFieldType] = [:],
        contactsByEmail: [String: [String]] = [:], contactsByPhoneKey: [String: [String]] = [:]
    ) {
        self.labelKeys = labelKeys
        self.extendedFieldTypes = extendedFieldTypes
        self.contactsByEmail = contactsByEmail
        self.contactsByPhoneKey = contactsByPhoneKey
    }

    public func labelExists(_ key: String) -> Bool { labelKeys.contains(key) }
    public func extendedFieldType(_ key: String) -> ExtendedFieldType? { extendedFieldTypes[key] }
    public func contact(usingEmail email: String, other id: String) -> String? {
        contactsByEmail[email]?.first { $0 != id }
    }
    public func contact(usingPhoneKey key: String, other id: String) -> String? {
        contactsByPhoneKey[key]?.first { $0 != id }
    }
}
