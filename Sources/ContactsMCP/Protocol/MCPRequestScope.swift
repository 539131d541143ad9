import JSONCore
import JSONRPC

/// Under which revision one request runs, who sent it (the actor of its writes) and which log
/// messages it wants: from its own `_meta` in the stateless revision, else from the
/// connection's `initialize`.
struct MCPRequestScope: Sendable {
    /// The request's protocol revision.
    let protocolVersion: String
    /// Whether it is a stateless-revision request, whose results carry `resultType` and, when
    /// cacheable, `cacheScope` and `ttlMs`.
    let isStateless: Bool
    /// The actor recorded on the audit entries of its writes.
    let actor: String
    /// The least severe level to send as `notifications/message`; `nil` for none.
    let logLevel: MCPLogLevel?

    /// The scope of a request with `params` on `session`.
    ///
    /// - Throws: `-32022` for a revision in `_meta` that is not served; ``MCPErrors/notInitialized(_:)``
    ///   for a request without one before `initialize`.
    init(method: String, params: JSONValue?, session: MCPSession) throws(ResponseError) {
        if let version = MCPMeta.value(MCPMeta.protocolVersion, in: params)?.stringValue,
            !MCPProtocolVersion.handshake.contains(version)
        {
            guard MCPProtocolVersion.stateless.contains(version) else {
                throw MCPErrors.unsupportedProtocolVersion(version)
            }
            protocolVersion = version
            isStateless = true
            actor = session.actor(forClient: MCPMeta.value(MCPMeta.clientInfo, in: params)?["name"]?.stringValue)
            logLevel = MCPMeta.value(MCPMeta.logLevel, in: params)?.stringValue.flatMap(MCPLogLevel.init(rawValue:))
            return
        }
        guard let agreement = session.current else { throw MCPErrors.notInitialized(method) }
        protocolVersion = agreement.protocolVersion
        isStateless = false
        actor = session.actor(forClient: agreement.clientName)
        logLevel = session.logLevel
    }

    /// `result` as this revision shapes it: stateless results say they are complete, and
    /// cacheable ones (lists, reads) how they may be cached — `private` for contact data,
    /// `public` for what is the same for everyone (the tool list); never fresh for long.
    func shape(_ result: JSONValue, cache: CacheScope? = nil) -> JSONValue {
        guard isStateless, case .object(var members) = result else { return result }
        members["resultType"] = "complete"
        if let cache {
            members["cacheScope"] = .string(cache.rawValue)
            members["ttlMs"] = 0
        }
        return .object(members)
    }

    /// Who may reuse a cacheable result.
    enum CacheScope: String {
        /// Anyone: the same for every user.
        case `public`
        /// Only this user: contact data.
        case `private`
    }
}
