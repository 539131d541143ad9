public import ContactStore

extension LocalBackend {
    /// Everything: dry runs and members are the embedded store's own, and a get is read at once
    /// from memory or a free reader connection. A commit is readable up to one log sync before
    /// it is durable, so answers built from reads wait for the store's sync.
    public var capabilities: BackendCapabilities {
        BackendCapabilities(
            supportsDryRun: true, supportsMembers: true, fastReader: store,
            durabilityBarrier: { [store] in await store.waitUntilVisibleChangesAreDurable() })
    }
}

/// The store reads a contact without waiting from its cache or a free inline reader connection.
extension ContactStore: FastContactReader {}
