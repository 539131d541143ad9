public import JSONCore

/// The Wix Contacts v4 operations, implemented by the embedded store and by the REST client.
///
/// Every method throws ``ContactsError`` for what the Wix API would answer with an error.
///
/// ```swift
/// let service: any ContactsService = store
/// let snapshot = try await service.contact(id: "c-1")
/// let updated = try await service.updateContact(
///     id: "c-1", patch: ContactInfoPatch(json: ["company": "Wix"]), revision: snapshot.revision,
///     allowDuplicates: false)
/// ```
public protocol ContactsService: Sendable {
    /// `GET /contacts/v4/contacts/{id}`.
    func contact(id: String) async throws -> ContactSnapshot

    /// `PATCH /contacts/v4/contacts/{id}`: applies `patch` if `revision` is the stored one.
    func updateContact(id: String, patch: ContactInfoPatch, revision: Int, allowDuplicates: Bool) async throws
        -> ContactSnapshot

    /// `POST /contacts/v4/contacts`.
    func createContact(info: ContactInfoPatch, allowDuplicates: Bool) async throws -> ContactSnapshot

    /// `POST /contacts/v4/contacts/query` (or, without a filter, `GET /contacts/v4/contacts`:
    /// List Contacts, which answers the same page).
    func queryContacts(_ query: ContactQuery) async throws -> ContactPage

    /// `DELETE /contacts/v4/contacts/{id}`.
    ///
    /// - Throws: `CONTACT_NOT_FOUND`, `CANNOT_DELETE_SITE_MEMBERS`.
    func deleteContact(id: String) async throws

    /// `POST /contacts/v4/contacts/{id}/labels`: adds the labels the contact lacks (every key must
    /// exist); the revision moves even when none was missing, as on Wix.
    func labelContact(id: String, labelKeys: [String]) async throws -> ContactSnapshot

    /// `DELETE /contacts/v4/contacts/{id}/labels?labelKeys=…`: removes these labels (every key must
    /// exist).
    func unlabelContact(id: String, labelKeys: [String]) async throws -> ContactSnapshot

    /// `POST /contacts/v4/contacts/{targetId}/preview-merge`: the target as a merge would leave
    /// it; writes nothing.
    func previewMerge(targetId: String, sourceIds: [String]) async throws -> ContactSnapshot

    /// `POST /contacts/v4/contacts/{targetId}/merge`: adds the sources' emails, phones,
    /// addresses and labels to the target (first source first, nothing duplicated, nothing of the
    /// target overwritten) and deletes the sources; a get of a source id then answers the target.
    ///
    /// - Throws: `CONTACT_NOT_FOUND`, `CONTACT_ALREADY_CHANGED` (a stale `targetRevision`),
    ///   `CANNOT_MERGE_SITE_MEMBERS`, `INVALID_ARGUMENT`.
    func mergeContacts(targetId: String, sourceIds: [String], targetRevision: Int?) async throws -> ContactSnapshot

    // MARK: Labels and extended fields

    /// `GET /contacts/v4/labels`: every label, by key.
    func labels() async throws -> [ContactLabel]

    /// `POST /contacts/v4/labels`: the label with this display name (case-insensitive), created
    /// (`custom.<slug>`) if needed.
    func findOrCreateLabel(displayName: String) async throws -> ContactLabel

    /// `DELETE /contacts/v4/labels/{key}`: deletes the label and removes it from every contact.
    ///
    /// - Throws: `LABEL_NOT_FOUND`.
    func deleteLabel(key: String) async throws

    /// `GET /contacts/v4/extended-fields`: every extended field, system ones included, by key.
    func extendedFields() async throws -> [ExtendedFieldDefinition]

    /// `POST /contacts/v4/extended-fields`: the field with this display name, created
    /// (`custom.<slug>`) with `dataType` if needed.
    func findOrCreateExtendedField(displayName: String, dataType: ExtendedFieldType) async throws
        -> ExtendedFieldDefinition
}

/// A query in Wix's query language: a filter, a sort and a page.
public struct ContactQuery: Sendable {
    /// The most contacts one page may hold.
    public static let maximumLimit = 1000

    /// Field paths to values or operator objects, combined with `$and` / `$or`.
    public var filter: JSONObject
    /// Sort keys, applied in order.
    public var sort: [SortKey]
    /// Page size, 1...1000.
    public var limit: Int
    /// Contacts to skip.
    public var offset: Int

    /// Creates a query.
    public init(filter: JSONObject = JSONObject(), sort: [SortKey] = [], limit: Int = 50, offset: Int = 0) {
        self.filter = filter
        self.sort = sort
        self.limit = limit
        self.offset = offset
    }

    /// One sort key.
    public struct SortKey: Sendable, Hashable {
        /// A dotted field path, such as `info.name.last`.
        public var fieldName: String
        /// Ascending unless `false`.
        public var ascending: Bool

        /// Creates a sort key.
        public init(fieldName: String, ascending: Bool = true) {
            self.fieldName = fieldName
            self.ascending = ascending
        }
    }
}
