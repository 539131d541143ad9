import WixContacts

/// What an agent should do next after a tool failed with a Wix application code: the sentence
/// that turns an error into a recovery.
enum ToolErrorAdvice {
    /// The next step for `code`; a generic one for codes without their own.
    static func nextStep(for code: ContactsError.Code) -> String {
        switch code {
        case .contactAlreadyChanged:
            return "The contact changed since you read it: call contacts_get for its current revision"
                + " (also in currentRevision), check the change still makes sense, and retry with that"
                + " revision; or use contacts_forceUpdate to apply the fields regardless."
        case .duplicateContactExists:
            return "Another contact (duplicateContactId) already has this email or phone: update that"
                + " contact instead, or retry with allowDuplicates: true if a second contact is wanted."
        case .contactNotFound:
            return "Check the contactId (contacts_query finds contacts by name, email or phone)."
        case .auditEntryNotFound:
            return "Check the auditId (audit_history lists a contact's entries)."
        case .undoConflict:
            return "A field this undo would restore has changed since (see conflicts), or the entry was"
                + " already undone. Confirm with the user, then retry with mode: \"force\" to restore anyway."
        case .undoNotSupported:
            return "This change cannot be undone (walking back stops at the contact's creation)."
        case .labelNotFound:
            return "Check the label key (labels_list lists them; labels_findOrCreate makes one by display name)."
        case .cannotDeleteSiteMembers, .cannotMergeSiteMembers:
            return "Site members cannot be deleted or merged away through the contacts API; leave this contact out."
        case .cannotUpdateMemberEmail:
            return "The contact is a site member; its primary email can only change through the member's account."
        case .invalidArgument, .invalidExtendedFieldValue:
            return "Fix the fields named in fieldViolations and retry."
        case .cannotHaveMultiplePrimaryInfo:
            return "Mark at most one email and one phone as primary, then retry."
        case .insufficientUpdateContactData:
            return "Send at least one field in info."
        case .insufficientContactData:
            return "A contact needs a name, an email or a phone: keep or add one of them."
        case .rateLimited, .unavailable, .deadlineExceeded, .databaseBusy:
            return "A temporary condition: nothing was written. Retry in a few seconds."
        case .unauthenticated, .permissionDenied:
            return
                "The gateway's Wix credentials are missing or lack permission; ask the user to fix its configuration."
        default:
            return "Tell the user what failed; retrying the same call will fail the same way."
        }
    }

    /// The next step after params that do not fit the tool's input schema.
    static let invalidParams = "Fix the named argument to match the tool's inputSchema and retry."
}
