public import WixContacts

/// A contact read that never waits: for answering `contacts.get` without a task.
public protocol FastContactReader: Sendable {
    /// The contact as stored now, or `nil` when reading it would mean waiting (a connection is
    /// busy): the caller then takes the usual path.
    ///
    /// - Throws: `ContactsError` (`CONTACT_NOT_FOUND`) when there is no such contact; any other
    ///   error when the read failed.
    func snapshotImmediately(id: String) throws -> ContactSnapshot?
}
