extension ContactsError {
    /// A Wix application code. Open: codes this build does not know (from the remote) are kept.
    public struct Code: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }

        // 400
        public static let invalidArgument: Code = "INVALID_ARGUMENT"
        public static let invalidExtendedFieldValue: Code = "INVALID_EXTENDED_FIELD_VALUE"
        public static let cannotHaveMultiplePrimaryInfo: Code = "CANNOT_HAVE_MULTIPLE_PRIMARY_INFO"
        public static let insufficientUpdateContactData: Code = "INSUFFICIENT_UPDATE_CONTACT_DATA"
        public static let insufficientContactData: Code = "INSUFFICIENT_CONTACT_DATA"
        // 401, 403
        public static let unauthenticated: Code = "UNAUTHENTICATED"
        public static let permissionDenied: Code = "PERMISSION_DENIED"
        // 404
        public static let contactNotFound: Code = "CONTACT_NOT_FOUND"
        public static let auditEntryNotFound: Code = "AUDIT_ENTRY_NOT_FOUND"
        public static let labelNotFound: Code = "LABEL_NOT_FOUND"
        // 409
        public static let contactAlreadyChanged: Code = "CONTACT_ALREADY_CHANGED"
        public static let duplicateContactExists: Code = "DUPLICATE_CONTACT_EXISTS"
        public static let undoConflict: Code = "UNDO_CONFLICT"
        // 428
        public static let cannotUpdateMemberEmail: Code = "CANNOT_UPDATE_MEMBER_EMAIL"
        public static let undoNotSupported: Code = "UNDO_NOT_SUPPORTED"
        /// A site member (or Wix user) cannot be deleted (Wix: `CANNOT_DELETE_SITE_MEMBERS`).
        public static let cannotDeleteSiteMembers: Code = "CANNOT_DELETE_SITE_MEMBERS"
        /// A site member can only be the target of a merge, never a source.
        public static let cannotMergeSiteMembers: Code = "CANNOT_MERGE_SITE_MEMBERS"
        // 429, 5xx
        public static let rateLimited: Code = "RATE_LIMITED"
        public static let internalError: Code = "INTERNAL"
        public static let unavailable: Code = "UNAVAILABLE"
        public static let deadlineExceeded: Code = "DEADLINE_EXCEEDED"
        /// The gateway's own database stayed locked by another process past the busy timeout.
        public static let databaseBusy: Code = "DATABASE_BUSY"

        /// The HTTP status Wix answers this code with.
        public var defaultHTTPStatus: Int {
            switch self {
            case .invalidArgument, .invalidExtendedFieldValue, .cannotHaveMultiplePrimaryInfo,
                .insufficientUpdateContactData, .insufficientContactData:
                return 400
            case .unauthenticated: return 401
            case .permissionDenied: return 403
            case .contactNotFound, .auditEntryNotFound, .labelNotFound: return 404
            case .contactAlreadyChanged, .duplicateContactExists, .undoConflict: return 409
            case .cannotUpdateMemberEmail, .undoNotSupported, .cannotDeleteSiteMembers, .cannotMergeSiteMembers:
                return 428
            case .rateLimited: return 429
            case .unavailable, .databaseBusy: return 503
            case .deadlineExceeded: return 504
            default: return 500
            }
        }

        /// The sentence the Wix reference gives for the code.
        public var defaultMessage: String {
            switch self {
            case .invalidArgument: return "The request has invalid fields."
            case .invalidExtendedFieldValue:
                return "Contact can't have extended fields values that are invalid or don't match the field type."
            case .cannotHaveMultiplePrimaryInfo:
                return "Contact can't have more than one primary email or phone number."
            case .insufficientUpdateContactData: return "Not enough data passed to update contact."
            case .insufficientContactData: return "Contact must have a name, phone number, or email address."
            case .unauthenticated: return "The request is not authenticated."
            case .permissionDenied: return "The caller may not do this."
            case .contactNotFound: return "Contact not found."
            case .auditEntryNotFound: return "Audit entry not found."
            case .labelNotFound: return "Label not found."
            case .cannotDeleteSiteMembers:
                return "Contact is a site member and can't be deleted. Member must be deleted first."
            case .cannotMergeSiteMembers:
                return "A site member can't be merged into another contact; it can only be the merge target."
            case .contactAlreadyChanged:
                return "Passed contact revision is outdated. Retrieve the latest version before applying updates."
            case .duplicateContactExists:
                return "A contact with the same primary email or primary phone number already exists."
            case .undoConflict: return "The change cannot be undone because the fields have changed since."
            case .cannotUpdateMemberEmail:
                return "The primary email of a contact that is a member can't be updated."
            case .undoNotSupported: return "This kind of change cannot be undone."
            case .rateLimited: return "Too many requests; try again later."
            case .unavailable: return "The service is unavailable."
            case .deadlineExceeded: return "The request timed out."
            case .databaseBusy: return "The database is locked by another process."
            default: return "The service failed to handle the request."
            }
        }
    }
}
