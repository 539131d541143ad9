extension WixBackend {
    /// The basics only: Wix has no dry-run update, no way to mark a member through the Contacts
    /// API, and every read is a remote call.
    public var capabilities: BackendCapabilities { BackendCapabilities() }
}
