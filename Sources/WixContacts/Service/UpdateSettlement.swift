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
