import ContactStore
import Foundation
import JSONCore
import WixContacts

extension WixBackend {
    /// A dry run against Wix, which has none: the contact is read fresh, and the embedded
    /// store's rules engine (``ContactRules``) computes the result from what Wix holds — its
    /// labels and extended fields when the patch sets them, and the contacts using the emails it
    /// sets. Nothing that writes is sent.
    ///
    /// Phones sent without emails are not checked for duplicates here (the query language has no
    /// filter on every phone of a contact); Wix checks them when the change is sent.
    ///
    /// - Throws: `CONTACT_NOT_FOUND`, `CONTACT_ALREADY_CHANGED`, and what the update would throw.
    func dryRunUpdate(id: String, patch: ContactInfoPatch, revision: Int, allowDuplicates: Bool) async throws
        -> WriteOutcome
    {
        let before = try await get(id: id)
        guard before.revision == revision else {
            throw ContactsError.contactAlreadyChanged(currentRevision: before.revision)
        }
        let contact = try before.contact()
        let lookups = try await knownLookups(for: patch, allowDuplicates: allowDuplicates)
        let after = try rules.update(
            contact, isMember: contact.source?.sourceType == .siteMembers, patch: patch,
            allowDuplicates: allowDuplicates, lookups: lookups)
        return WriteOutcome(
            snapshot: ContactSnapshot(contact: after), auditId: nil, attempts: 1,
            changedFields: paths(after.info.changedFields(comparedTo: contact.info)))
    }

    /// Wix's rules, stamped now, with fresh ids.
    var rules: ContactRules {
        ContactRules(
            now: { Timestamp.rfc3339(millisecondsSince1970: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))) },
            makeID: { RandomUUID.lowercased() })
    }

    /// What the rules ask of the site for `patch`, fetched from Wix: only what it needs.
    func knownLookups(for patch: ContactInfoPatch, allowDuplicates: Bool) async throws -> KnownLookups {
        var lookups = KnownLookups()
        let fields = patch.setFields
        if fields.contains("labelKeys") { lookups.labelKeys = Set(try await client.labels().map(\.key)) }
        if fields.contains("extendedFields") {
            for field in try await client.extendedFields() { lookups.extendedFieldTypes[field.key] = field.dataType }
        }
        if !allowDuplicates, fields.contains("emails") {
            let emails = (patch.info.emails ?? []).compactMap { $0.email?.lowercased() }
            if !emails.isEmpty {
                let query = ContactQuery(
                    filter: ["info.emails.email": ["$in": .array(emails.map { .string($0) })]],
                    limit: ContactQuery.maximumLimit)
                for other in try await client.queryContacts(query).contacts {
                    for email in try other.contact().info.emails ?? [] {
                        guard let address = email.email?.lowercased() else { continue }
                        lookups.contactsByEmail[address, default: []].append(other.id)
                    }
                }
            }
        }
        return lookups
    }
}
