extension WixBackend {
    /// Dry runs (computed by the shared rules engine from a fresh read), but no members: Wix's
    /// Contacts API cannot make a site member; and every read is a remote call, so no fast reader.
    public var capabilities: BackendCapabilities { BackendCapabilities(supportsDryRun: true) }
}
