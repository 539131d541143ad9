import GRDB

extension StoreSchema {
    /// `v-dense-order-indexes`: the two indexes of the default order (newest first, then id)
    /// stored oldest first, with the id descending, and read backwards.
    ///
    /// Stored newest first, every create inserted at the start of the index (or of its
    /// company's range), and each page split there left a half-empty page behind: in a file
    /// grown by the gateway's own creates they took twice their entries' bytes (141 and 196
    /// bytes per contact against 67 and 92 of entries). Stored oldest first, a create appends
    /// at the end, where SQLite fills each page before starting the next. A backward scan of
    /// `(created_date, id DESC)` is `created_date DESC, id ASC`, so every plan reads the same
    /// entries as before (`QueryPlanTests`).
    static let denseOrderIndexesMigration = "v-dense-order-indexes: the default order's indexes stored oldest first"

    static func createDenseOrderIndexes(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP INDEX contact_on_created_date_id;
                CREATE INDEX contact_on_created_date_id ON contact(created_date, id DESC);
                DROP INDEX contact_on_company;
                CREATE INDEX contact_on_company ON contact(company, created_date, id DESC, last_name, first_name);
                """)
    }
}
