public import GRDB
public import WixContacts

extension ContactsError {
    /// `DATABASE_BUSY` (503, `-32053`): another process held the database's lock for longer than
    /// the busy timeout. Nothing was written; the same request may be sent again.
    public static let databaseBusy = ContactsError(
        .databaseBusy, message: "The database is locked by another process; nothing was changed, try again.",
        details: ["retryable": true])
}

/// Busy and locked become ``ContactsError/databaseBusy`` for the caller; every other storage
/// error stays unexpected (logged, and answered with a generic internal error).
extension DatabaseError: ContactsErrorConvertible {
    /// ``ContactsError/databaseBusy`` for busy and locked; `nil` for the rest.
    public var contactsError: ContactsError? {
        resultCode == .SQLITE_BUSY || resultCode == .SQLITE_LOCKED ? .databaseBusy : nil
    }
}
