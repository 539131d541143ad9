import JSONCore

/// Turns a Wix error response into a ``ContactsError``. Both body forms are understood
/// (`details.applicationError` and `details.validationError.fieldViolations`); a body that is
/// not JSON still gives an error with the HTTP status.
enum WixErrorBody {
    static func error(status: Int, body: [UInt8]) -> ContactsError {
        let json = try? JSONValue.parse(body)
        let details = json?["details"]
        if let application = details?["applicationError"], let code = application["code"]?.stringValue {
            let errorCode = ContactsError.Code(rawValue: code)
            var extra = application["data"]?.objectValue ?? JSONObject()
            if let violations = details?["validationError"]?["fieldViolations"] {
                extra["fieldViolations"] = violations
            }
            return ContactsError(errorCode, httpStatus: status, message: message(errorCode, status), details: extra)
        }
        if let violations = details?["validationError"]?["fieldViolations"]?.arrayValue {
            return ContactsError(
                .invalidArgument, httpStatus: status, message: message(.invalidArgument, status),
                details: ["fieldViolations": .array(violations)])
        }
        let code = ContactsError.Code(rawValue: ContactsError.statusName(forHTTPStatus: status))
        return ContactsError(code, httpStatus: status, message: "The Wix API answered with HTTP status \(status).")
    }

    /// Our fixed sentence for known codes: remote messages may quote contact data.
    private static func message(_ code: ContactsError.Code, _ status: Int) -> String {
        let known = code.defaultMessage
        return known == ContactsError.Code.internalError.defaultMessage && code != .internalError
            ? "The Wix API answered \(code.rawValue) (HTTP \(status))." : known
    }
}
