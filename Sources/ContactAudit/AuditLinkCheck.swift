import FastSQLite
import GRDB

/// The check of the links the hash chain does not cover (``AuditHeads``), made as
/// ``AuditChain/verify(_:)`` walks the chain: they are derived, and written around it (the
/// migration links entries chained long before), so an edit that hides entries from a
/// contact's history would otherwise go unseen.
///
/// Along the chain each contact's entries come in the order they were linked, so each settled
/// entry's link must name the contact's entry the walk saw last (or, for its first entry in the
/// chain, an earlier entry from before the chain started, which the chain never covered), and
/// at the end each contact's head must name the last. One entry per contact is kept: a UUID id
/// (every id the store and Wix hand out) as its 16 bytes, about 40 bytes a contact.
struct AuditLinkCheck {
    /// A contact id, compactly.
    private enum Key: Hashable {
        case uuid(UInt64, UInt64)
        case other(String)

        /// A lowercase UUID (how the store and Wix write ids) as its 128 bits, exactly: any
        /// other spelling of the same UUID is another id, so it stays text.
        init(_ id: String) {
            var halves: [UInt64] = [0, 0]
            var digits = 0
            var utf8 = id.utf8.makeIterator()
            var offset = 0
            while let byte = utf8.next() {
                defer { offset += 1 }
                if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                    guard byte == UInt8(ascii: "-") else { break }
                    continue
                }
                let value: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
                default: value = 16
                }
                guard value < 16, digits < 32 else { break }
                halves[digits / 16] = halves[digits / 16] << 4 | UInt64(value)
                digits += 1
            }
            self = digits == 32 && offset == 36 ? .uuid(halves[0], halves[1]) : .other(id)
        }
    }

    /// Each contact's entry the walk saw last.
    private var last: [Key: Int64] = [:]

    /// Checks the link of chained entry `auditId` of `contactId` (`previous`: its
    /// `previous_id`); returns why it is wrong, or `nil`.
    mutating func check(_ auditId: Int64, of contactId: String, previous: Int64?, in db: Database) throws -> String? {
        guard !contactId.isEmpty else { return nil }
        let key = Key(contactId)
        defer { last[key] = auditId }
        if let expected = last[key] {
            return previous == expected ? nil : "the entry's link to its contact's previous entry was changed"
        }
        guard let previous else { return nil }
        // The contact's first entry in the chain may follow one from before the chain started.
        let earlier = try db.cachedStatement(
            sql:
                "SELECT 1 FROM audit_entry WHERE audit_id = ? AND contact_id = ? AND chain_seq IS NULL AND audit_id < ?"
        ).fetchFirst(.int(previous), .text(contactId), .int(auditId)) { _ in true }
        return earlier == true ? nil : "the entry's link to its contact's previous entry was changed"
    }

    /// After the walk: every contact's head names its last entry, and every other head an entry
    /// of its contact. Returns the entry at fault (`nil`: a head that names none) and why.
    func checkHeads(in db: Database) throws -> (auditId: Int64?, reason: String)? {
        var matched = 0
        var fault: (auditId: Int64?, reason: String)?
        let heads = try db.makeStatement(sql: try AuditHeads.all(in: db))
        _ = try heads.fetchAll(arguments: []) { row -> Void in
            guard fault == nil else { return }
            let contactId = row.text(0) ?? ""
            guard let expected = last[Key(contactId)] else { return }
            matched += 1
            if Int64(row.int(1)) != expected {
                fault = (expected, "the entry is its contact's latest, but the contact's head names another")
            }
        }
        if let fault { return fault }
        if matched != last.count {
            let headless = try Int64.fetchOne(
                db,
                sql: """
                    SELECT MAX(e.audit_id) FROM audit_entry e
                    WHERE e.chain_seq IS NOT NULL AND e.contact_id <> ''
                      AND e.contact_id NOT IN (SELECT contact_id FROM (\(try AuditHeads.all(in: db))))
                    """)
            return (headless, "the entry is its contact's latest, but the contact has no head")
        }
        let unknown = try Bool.fetchOne(
            db,
            sql: """
                SELECT 1 FROM (\(try AuditHeads.all(in: db))) h LEFT JOIN audit_entry e ON e.audit_id = h.latest
                WHERE e.audit_id IS NULL OR e.contact_id <> h.contact_id OR e.state <> 'settled' LIMIT 1
                """)
        return unknown == true ? (nil, "a contact's head names no entry of that contact") : nil
    }
}
