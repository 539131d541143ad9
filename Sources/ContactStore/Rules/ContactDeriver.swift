import JSONCore
import PhoneNumbers
import WixContacts

/// Computes what the server derives from `info`: primary flags, `e164Phone`, `primaryInfo`,
/// `primaryEmail`, `primaryPhone` and the display-name extended fields.
enum ContactDeriver {
    /// Makes exactly one item primary: the one sent as primary, else the first. Callers have
    /// already rejected more than one primary.
    static func normalizePrimaries(_ info: inout ContactInfo) {
        // Rewritten only when a flag changes: a list written back is a copy of every item.
        if let emails = info.emails, !emails.isEmpty {
            let primary = emails.firstIndex { $0.primary == true } ?? 0
            if !emails.indices.allSatisfy({ emails[$0].primary == ($0 == primary) }) {
                var marked = emails
                for index in marked.indices { marked[index].primary = index == primary }
                info.emails = marked
            }
        }
        if let phones = info.phones, !phones.isEmpty {
            let primary = phones.firstIndex { $0.primary == true } ?? 0
            if !phones.indices.allSatisfy({ phones[$0].primary == ($0 == primary) }) {
                var marked = phones
                for index in marked.indices { marked[index].primary = index == primary }
                info.phones = marked
            }
        }
        if info.emails?.isEmpty == true { info.emails = nil }
        if info.phones?.isEmpty == true { info.phones = nil }
        if info.addresses?.isEmpty == true { info.addresses = nil }
        if info.labelKeys?.isEmpty == true { info.labelKeys = nil }
        if info.name?.isEmpty == true { info.name = nil }
        if info.picture?.image == nil { info.picture = nil }
    }

    /// Fills `e164Phone` on every phone (or removes it when the number is not valid) and
    /// normalises country codes to upper case.
    static func derivePhones(_ info: inout ContactInfo) {
        guard var phones = info.phones else { return }
        for index in phones.indices {
            phones[index].countryCode = phones[index].countryCode?.uppercased()
            phones[index].e164Phone = resolve(phones[index])?.e164
        }
        info.phones = phones
    }

    static func resolve(_ phone: ContactPhone) -> ResolvedPhoneNumber? {
        guard let number = phone.phone else { return nil }
        return PhoneNumberResolver.resolve(phone: number, regionCode: phone.countryCode ?? "")
    }

    /// Sets `contacts.displayByFirstName` / `contacts.displayByLastName` from the name.
    static func deriveDisplayNames(_ info: inout ContactInfo) {
        let first = info.name?.first
        let last = info.name?.last
        let byFirst = joined(first, last)
        let byLast = joined(last, first)
        let wantedByFirst: JSONValue? = byFirst.isEmpty ? nil : .string(byFirst)
        let wantedByLast: JSONValue? = byLast.isEmpty ? nil : .string(byLast)
        // Most updates leave the name alone: then the fields already say so, and rewriting them
        // would copy every extended field.
        if let fields = info.extendedFields, !fields.isEmpty,
            fields["contacts.displayByFirstName"] == wantedByFirst, fields["contacts.displayByLastName"] == wantedByLast
        {
            return
        }
        var fields = info.extendedFields ?? JSONObject()
        fields["contacts.displayByFirstName"] = wantedByFirst
        fields["contacts.displayByLastName"] = wantedByLast
        info.extendedFields = fields.isEmpty ? nil : fields
    }

    /// The names present, in order, separated by a space (as `[a, b].compactMap { $0 }` joined).
    private static func joined(_ a: String?, _ b: String?) -> String {
        switch (a, b) {
        case (let a?, let b?): a + " " + b
        case (let a?, nil): a
        case (nil, let b?): b
        case (nil, nil): ""
        }
    }

    /// Recomputes every derived top-level value of `contact` from its `info`; `previous` (the
    /// stored contact) lends its primary-phone details when the phones did not change, since
    /// resolving a number is the costliest step of an update.
    static func deriveSummaries(_ contact: inout Contact, previous: borrowing Contact) {
        // Only the phones are needed of `previous`: wrapping the whole contact in an optional
        // would copy it (retaining every string and list of it).
        deriveSummaries(&contact, previousPhones: (previous.info.phones, previous.primaryPhone))
    }

    /// ``deriveSummaries(_:previous:)`` of a new contact.
    static func deriveSummaries(_ contact: inout Contact) {
        deriveSummaries(&contact, previousPhones: nil)
    }

    /// `previousPhones`: the phones of the contact before the update and its primary phone.
    private static func deriveSummaries(
        _ contact: inout Contact, previousPhones previous: (list: [ContactPhone]?, primary: PrimaryPhone?)?
    ) {
        let primaryEmail = contact.info.emails?.first { $0.primary == true }
        let primaryPhone = contact.info.phones?.first { $0.primary == true }
        let info = PrimaryContactInfo(email: primaryEmail?.email, phone: primaryPhone?.phone)
        contact.primaryInfo = info.email == nil && info.phone == nil ? nil : info
        if let email = primaryEmail?.email {
            // The same text first: lowercasing makes two new strings.
            let stored = contact.primaryEmail?.email
            let isSame = stored == email || stored?.lowercased() == email.lowercased()
            let previous = isSame ? contact.primaryEmail : nil
            contact.primaryEmail = PrimaryEmail(
                email: email,
                subscriptionStatus: previous?.subscriptionStatus ?? .notSet,
                deliverabilityStatus: previous?.deliverabilityStatus ?? .notSet
            )
        } else {
            contact.primaryEmail = nil
        }
        if let previous, previous.list == contact.info.phones {
            contact.primaryPhone = previous.primary
        } else if let phone = primaryPhone, let number = phone.phone {
            let resolved = resolve(phone)
            contact.primaryPhone = PrimaryPhone(
                countryCode: phone.countryCode,
                e164Phone: resolved?.e164,
                formattedPhone: resolved?.international,
                subscriptionStatus: resolved == nil ? .noSubscriptionStatus : .notSet,
                phone: number
            )
        } else {
            contact.primaryPhone = nil
        }
    }
}
