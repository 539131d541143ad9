/// An error of another layer (storage, transport) that some of the time means a
/// ``ContactsError`` the caller should see, such as "the database is busy, try again".
///
/// The method layer asks any error for it without knowing the layer it came from.
public protocol ContactsErrorConvertible: Error {
    /// The error to answer with; `nil` when this one is unexpected (logged, answered generically).
    var contactsError: ContactsError? { get }
}
