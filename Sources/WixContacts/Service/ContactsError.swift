public import JSONCore

/// A failed contacts operation, as the Wix API reports it: HTTP status, status name and the Wix
/// application code, plus the data a caller needs to act (`currentRevision`, `duplicateContactId`,
/// `fieldViolations`, ...).
///
/// Its `description` holds only the code and a fixed sentence: never contact data, never a
/// credential, so it is safe to log.
///
/// ```swift
/// do { _ = try await service.update(...) }
/// catch let error as ContactsError where error.code == .contactAlreadyChanged {
///     let current = error.details["currentRevision"]?.intValue
/// }
/// ```
public struct ContactsError: Error, Sendable, CustomStringConvertible {
    /// The Wix application code (or the status name where Wix gives none).
    public var code: Code
    /// The HTTP status the Wix API answers with.
    public var httpStatus: Int
    /// One plain sentence, free of contact data.
    public var message: String
    /// Extra data for the caller, merged into JSON-RPC `error.data`.
    public var details: JSONObject

    /// Creates an error; `httpStatus` defaults to the code's usual status.
    public init(_ code: Code, httpStatus: Int? = nil, message: String? = nil, details: JSONObject = JSONObject()) {
        self.code = code
        self.httpStatus = httpStatus ?? code.defaultHTTPStatus
        self.message = message ?? code.defaultMessage
        self.details = details
    }

    /// The gRPC-style status name for ``httpStatus`` (`INVALID_ARGUMENT`, `NOT_FOUND`, ...).
    public var status: String { Self.statusName(forHTTPStatus: httpStatus) }

    public var description: String { "\(code.rawValue) (HTTP \(httpStatus)): \(message)" }

    /// The status name Wix uses for an HTTP status.
    public static func statusName(forHTTPStatus status: Int) -> String {
        switch status {
        case 400: return "INVALID_ARGUMENT"
        case 401: return "UNAUTHENTICATED"
        case 403: return "PERMISSION_DENIED"
        case 404: return "NOT_FOUND"
        case 409: return "ALREADY_EXISTS"
        case 428: return "FAILED_PRECONDITION"
        case 429: return "RESOURCE_EXHAUSTED"
        case 503: return "UNAVAILABLE"
        case 504: return "DEADLINE_EXCEEDED"
        default: return status >= 500 ? "INTERNAL" : "UNKNOWN"
        }
    }
}

// MARK: - Factories

extension ContactsError {
    /// `INVALID_ARGUMENT` listing every invalid field.
    public static func invalidArgument(_ violations: [FieldViolation]) -> ContactsError {
        ContactsError(.invalidArgument, details: ["fieldViolations": .array(violations.map(\.json))])
    }

    /// `INVALID_EXTENDED_FIELD_VALUE` naming the fields.
    public static func invalidExtendedFieldValue(_ violations: [FieldViolation]) -> ContactsError {
        ContactsError(.invalidExtendedFieldValue, details: ["fieldViolations": .array(violations.map(\.json))])
    }

    /// `CONTACT_NOT_FOUND`.
    public static func contactNotFound(_ contactId: String) -> ContactsError {
        ContactsError(.contactNotFound, details: ["contactId": .string(contactId)])
    }

    /// `CONTACT_ALREADY_CHANGED` with the stored revision.
    public static func contactAlreadyChanged(currentRevision: Int) -> ContactsError {
        ContactsError(.contactAlreadyChanged, details: ["currentRevision": .int(currentRevision)])
    }

    /// `DUPLICATE_CONTACT_EXISTS` naming the other contact and the field that matched.
    public static func duplicateContactExists(duplicateContactId: String, field: String) -> ContactsError {
        ContactsError(
            .duplicateContactExists,
            details: ["duplicateContactId": .string(duplicateContactId), "duplicateField": .string(field)]
        )
    }
}
