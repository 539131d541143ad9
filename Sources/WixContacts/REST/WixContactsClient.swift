public import Foundation
public import JSONCore

/// The Wix Contacts v4 REST client: ``ContactsService`` over HTTP, with auth, a client-side rate
/// limit, retries with backoff and jitter, and PATCH outcomes settled by reading the contact.
///
/// ```swift
/// let client = WixContactsClient(configuration: WixClientConfiguration(
///     credentials: .apiKey(key: key, siteId: site)))
/// let snapshot = try await client.contact(id: "2712ae1d-…")
/// ```
public final class WixContactsClient: ContactsService {
    let configuration: WixClientConfiguration
    let transport: any HTTPTransport
    private let authenticator: WixAuthenticator
    private let limiter: RateLimiter

    /// A client; the transport defaults to async-http-client (``AsyncHTTPClientTransport``).
    public init(configuration: WixClientConfiguration, transport: any HTTPTransport = AsyncHTTPClientTransport()) {
        self.configuration = configuration
        self.transport = transport
        authenticator = WixAuthenticator(
            credentials: configuration.credentials, baseURL: configuration.baseURL, transport: transport,
            clock: configuration.clock)
        limiter = RateLimiter(requestsPerMinute: configuration.requestsPerMinute, clock: configuration.clock)
    }

    // MARK: - ContactsService

    public func contact(id: String) async throws -> ContactSnapshot {
        let body = try await perform("GET", "contacts/v4/contacts/\(Self.escape(id))", body: nil, idempotent: true)
        return try Self.snapshot(body["contact"])
    }

    public func updateContact(id: String, patch: ContactInfoPatch, revision: Int, allowDuplicates: Bool) async throws
        -> ContactSnapshot
    {
        let body: JSONValue = [
            "info": .object(patch.json), "revision": .int(revision), "allowDuplicates": .bool(allowDuplicates),
        ]
        var attempts = 0
        while true {
            attempts += 1
            do {
                let response = try await perform(
                    "PATCH", "contacts/v4/contacts/\(Self.escape(id))", body: body, idempotent: false)
                return try Self.snapshot(response["contact"])
            } catch let unknown as OutcomeUnknown {
                // Never resend blindly: read the contact and see whether the PATCH landed.
                let current = try await contact(id: id)
                if try UpdateSettlement.landed(patch, sentAt: revision, current: current) { return current }
                if current.revision == revision, attempts <= configuration.maxRetries {
                    try await configuration.clock.sleep(for: backoff(attempt: attempts))
                    continue
                }
                throw ContactsError(
                    .unavailable, httpStatus: unknown.status ?? 503,
                    message: "The update's outcome is unknown: the contact changed meanwhile.",
                    details: ["currentRevision": .int(current.revision)])
            }
        }
    }

    /// A create whose answer is lost, or that got a 5xx, is settled (``CreateSettlement``): after a
    /// backoff the client looks for the contact it may have made; found, that is the answer; not
    /// found, the create is sent again (up to `maxRetries` times). So it is never made twice.
    public func createContact(info: ContactInfoPatch, allowDuplicates: Bool) async throws -> ContactSnapshot {
        let body: JSONValue = ["info": .object(info.json), "allowDuplicates": .bool(allowDuplicates)]
        let startedAt = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        // Where an identical contact may already exist (duplicates allowed, or nothing to be a
        // duplicate by), note the ones that do, so settlement can never mistake one for this
        // create's. Otherwise Wix itself refuses a second contact with the same email.
        var existing: Set<String> = []
        if allowDuplicates || (info.info.emails?.isEmpty ?? true) {
            existing = Set(try await queryContacts(CreateSettlement.query(for: info, since: startedAt)).contacts.map(\.id))
        }
        var attempts = 0
        while true {
            attempts += 1
            do {
                return try Self.snapshot(
                    try await perform("POST", "contacts/v4/contacts", body: body, idempotent: false)["contact"])
            } catch let unknown as OutcomeUnknown {
                // A request still being handled may land late: wait before looking.
                try await configuration.clock.sleep(for: backoff(attempt: attempts))
                if let created = try await createdContact(info, since: startedAt, excluding: existing) { return created }
                guard attempts <= configuration.maxRetries else {
                    throw ContactsError(
                        .unavailable, httpStatus: unknown.status ?? 503,
                        message: "The Wix API did not create the contact; nothing was created.")
                }
            }
        }
    }

    /// The contact a create of `info`, begun at `since` (milliseconds since 1970), made; `nil`
    /// when it made none (``CreateSettlement``). Contacts in `existing` were there before it.
    public func createdContact(_ info: ContactInfoPatch, since: Int64, excluding existing: Set<String> = [])
        async throws -> ContactSnapshot?
    {
        let page = try await queryContacts(CreateSettlement.query(for: info, since: since))
        return try CreateSettlement.match(info, in: page.contacts.filter { !existing.contains($0.id) })
    }

    /// Without a filter, List Contacts (`GET /contacts/v4/contacts`, paging and one sort in the
    /// URL); with one, Query Contacts.
    public func queryContacts(_ query: ContactQuery) async throws -> ContactPage {
        let response: JSONValue
        if query.filter.isEmpty && query.sort.count <= 1 {
            response = try await perform(
                "GET", "contacts/v4/contacts", query: Self.listParameters(query), body: nil, idempotent: true)
        } else {
            response = try await perform(
                "POST", "contacts/v4/contacts/query", body: ["query": .object(query.json)], idempotent: true)
        }
        let contacts = try (response["contacts"]?.arrayValue ?? []).map { try Self.snapshot($0) }
        let paging = response["pagingMetadata"]
        return ContactPage(
            contacts: contacts, offset: paging?["offset"]?.intValue ?? query.offset,
            total: paging?["total"]?.intValue ?? contacts.count)
    }

    // MARK: - Labels and extended fields

    /// `POST /contacts/v4/labels`: the label with this display name, created if needed.
    public func findOrCreateLabel(displayName: String) async throws -> ContactLabel {
        let response = try await perform(
            "POST", "contacts/v4/labels", body: ["displayName": .string(displayName)], idempotent: true)
        guard let label = ContactLabel(json: response["label"]) else {
            throw ContactsError(.internalError, message: "The Wix API answered without a label.")
        }
        return label
    }

    /// `GET /contacts/v4/extended-fields`: every extended field of the site, system ones included.
    public func extendedFields() async throws -> [ExtendedFieldDefinition] {
        let response = try await perform("GET", "contacts/v4/extended-fields", body: nil, idempotent: true)
        return (response["fields"]?.arrayValue ?? []).compactMap { ExtendedFieldDefinition(json: $0) }
    }

    /// `GET /contacts/v4/labels`: every label of the site.
    public func labels() async throws -> [ContactLabel] {
        let response = try await perform("GET", "contacts/v4/labels", body: nil, idempotent: true)
        return (response["labels"]?.arrayValue ?? []).compactMap { ContactLabel(json: $0) }
    }

    /// `POST /contacts/v4/extended-fields`: the field with this display name, created if needed.
    public func findOrCreateExtendedField(displayName: String, dataType: ExtendedFieldType) async throws
        -> ExtendedFieldDefinition
    {
        let response = try await perform(
            "POST", "contacts/v4/extended-fields",
            body: ["displayName": .string(displayName), "dataType": .string(dataType.rawValue)],
            idempotent: true)
        guard let field = ExtendedFieldDefinition(json: response["field"]) else {
            throw ContactsError(.internalError, message: "The Wix API answered without an extended field.")
        }
        return field
    }

    // MARK: - Helpers

    static func snapshot(_ value: JSONValue?) throws(ContactsError) -> ContactSnapshot {
        guard let value else { throw ContactsError(.internalError, message: "The Wix API answered without a contact.") }
        let contact = try Contact.decode(value)
        return ContactSnapshot(id: contact.id, revision: contact.revision, json: RawJSON(trusted: value.serialized()))
    }

    static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(
            withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? segment
    }

    func backoff(attempt: Int) -> Duration {
        let base = configuration.initialBackoff * (1 << min(attempt - 1, 16))
        let capped = min(base, configuration.maximumBackoff)
        return capped * Double.random(in: 0.5...1.0)
    }

    func limiterAcquire() async throws { try await limiter.acquire() }
    func authHeaders() async throws -> [String: String] { try await authenticator.headers() }
    func invalidateToken() async -> Bool { await authenticator.invalidate() }
}

/// A non-idempotent request whose outcome is unknown (no response, or a 5xx gateway failure).
struct OutcomeUnknown: Error {
    var status: Int?
}
