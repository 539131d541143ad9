public import ContactStore

extension SQLiteAuditStore {
    /// Declares that this log records every change made through `store` from now on, in the
    /// change's own transaction, as the gateway's local backend does. `store`'s writer may then
    /// run without triggers (`ContactStore.runWriterWithoutTriggers(recordedChangeTriggers:)`):
    /// this log's row triggers (``ContactRowAfters``) only keep a JSON that a change it does not
    /// record would overwrite, and for a recorded change the new entry keeps it as its `before`.
    ///
    /// Returns whether `store`'s writer now runs without triggers. Other writers of the file (an
    /// emulator, `sqlite3`) keep running them.
    @discardableResult
    public func recordEveryChange(of store: ContactStore) throws -> Bool {
        try store.runWriterWithoutTriggers(recordedChangeTriggers: Set(ContactRowAfters.triggers))
    }
}
