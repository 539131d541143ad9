public import ContactStore

extension LocalBackend {
    /// Everything: dry runs and members are the embedded store's own, and a get is read at once
    /// from memory or a free reader connection.
    public var capabilities: BackendCapabilities {
        BackendCapabilities(supportsDryRun: true, supportsMembers: true, fastReader: store)
    }
}

/// The store reads a contact without waiting from its cache or a free inline reader connection.
extension ContactStore: FastContactReader {}
