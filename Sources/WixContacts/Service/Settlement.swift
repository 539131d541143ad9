import JSONCore

/// How an update whose outcome is unknown (the response was lost, or a 5xx came back) is
/// settled by reading the contact: one rule, used by the REST client when it retries a PATCH and
/// by the gateway when it settles an audit intent, even after a crash.
public enum UpdateSettlement {
    /// Whether `current` shows the update `patch` sent at `revision`: the contact is exactly one
    /// revision further and every field sent holds the value sent. Anything else — still at
    /// `revision`, or moved on by someone else — cannot be proven to be this update.
    public static func landed(_ patch: ContactInfoPatch, sentAt revision: Int, current: ContactSnapshot) throws -> Bool
    {
        guard current.revision == revision + 1 else { return false }
        return patch.isApplied(to: try current.contact())
    }
}

/// How a create whose outcome is unknown is settled: Wix has no idempotency key, so the contact
/// it may have made is looked for — by its first email when it has one, else among all contacts
/// created since the attempt began — and recognised by every field sent holding the value sent.
/// Found: that is the create's contact. Not found: it did not happen, and may be sent again; so a
/// create is never made twice.
public enum CreateSettlement {
    /// How far before the attempt a server's `createdDate` may lie: the two clocks differ.
    public static let clockSkewMilliseconds: Int64 = 60_000

    /// The query that finds the contacts a create of `info` begun at `since` (milliseconds since
    /// 1970) could have made, newest first.
    public static func query(for info: ContactInfoPatch, since: Int64) -> ContactQuery {
        let from = Timestamp.rfc3339(millisecondsSince1970: since - clockSkewMilliseconds)
        var filter: JSONObject = ["createdDate": ["$gte": .string(from)]]
        if let email = info.info.emails?.first?.email, !email.isEmpty {
            filter["info.emails.email"] = .string(email)
        }
        return ContactQuery(
            filter: filter, sort: [ContactQuery.SortKey(fieldName: "createdDate", ascending: false)],
            limit: ContactQuery.maximumLimit)
    }

    /// Among `candidates` (newest first), the one the create made: the newest whose fields hold
    /// what was sent.
    public static func match(_ info: ContactInfoPatch, in candidates: [ContactSnapshot]) throws -> ContactSnapshot? {
        try candidates.first { try info.isApplied(to: try $0.contact()) }
    }
}
