public import WixContacts

/// Wix's merge (Merge Contacts, v4): what a target gains from its sources. Pure, so the store
/// and the wix backend's checks share it.
///
/// The sources' emails, phones, addresses and labels are appended to the target's, first source
/// first; nothing of the target is overwritten or removed; an item the target (or an earlier
/// source) already has is not added again. Added items are never primary and get new ids.
public enum MergeRules {
    /// The `info` fields a merge sets on the target: only those it changes, each whole.
    public static func patch(target: ContactInfo, sources: [ContactInfo]) -> ContactInfoPatch {
        var merged = ContactInfo()
        var emails = target.emails ?? []
        var phones = target.phones ?? []
        var addresses = target.addresses ?? []
        var labels = target.labelKeys ?? []
        for source in sources {
            for email in source.emails ?? [] where !emails.contains(where: { sameEmail($0, email) }) {
                emails.append(ContactEmail(tag: email.tag, email: email.email, primary: false))
            }
            for phone in source.phones ?? [] where !phones.contains(where: { samePhone($0, phone) }) {
                phones.append(
                    ContactPhone(tag: phone.tag, countryCode: phone.countryCode, phone: phone.phone, primary: false))
            }
            for address in source.addresses ?? [] where !addresses.contains(where: { $0.address == address.address }) {
                addresses.append(ContactAddress(tag: address.tag, address: address.address))
            }
            for key in source.labelKeys ?? [] where !labels.contains(key) { labels.append(key) }
        }
        if emails.count != (target.emails ?? []).count { merged.emails = emails }
        if phones.count != (target.phones ?? []).count { merged.phones = phones }
        if addresses.count != (target.addresses ?? []).count { merged.addresses = addresses }
        if labels.count != (target.labelKeys ?? []).count { merged.labelKeys = labels }
        return ContactInfoPatch(setting: merged)
    }

    /// Checks the ids of a merge before anything is read: at least one source, none twice, and
    /// the target not among them.
    ///
    /// - Throws: `INVALID_ARGUMENT`.
    public static func checkIDs(targetId: String, sourceIds: [String]) throws(ContactsError) {
        guard !sourceIds.isEmpty else {
            throw ContactsError(.invalidArgument, message: "A merge needs at least one source contact.")
        }
        guard Set(sourceIds).count == sourceIds.count else {
            throw ContactsError(.invalidArgument, message: "A source contact is listed twice.")
        }
        guard !sourceIds.contains(targetId) else {
            throw ContactsError(.invalidArgument, message: "The target contact can't also be a source.")
        }
    }

    private static func sameEmail(_ a: ContactEmail, _ b: ContactEmail) -> Bool {
        a.email?.lowercased() == b.email?.lowercased()
    }

    private static func samePhone(_ a: ContactPhone, _ b: ContactPhone) -> Bool {
        guard let left = ContactRules.phoneKey(a), let right = ContactRules.phoneKey(b) else { return a.phone == b.phone }
        return left == right
    }
}
