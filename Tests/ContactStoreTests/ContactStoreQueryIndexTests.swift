import CompactJSON
import Foundation
import GRDB
import JSONCore
import Testing
import WixContacts

@testable import ContactStore

/// What the query indexes of issue #20 added or must leave as it was: phone items, prefixes that
/// ignore case, the kept contact count, and the backfill of files written before them.
@Suite struct ContactStoreQueryIndexTests {
    let queries = ContactStoreQueryTests()

    @Test func filtersOnAnyPhoneAsEntered() async throws {
        try await TestStore.with { t in
            let (_, ids) = try await ContactStoreQueryTests.seed(t)
            let cara = try await t.update(
                ids["Cara"]!,
                ["phones": ["items": [["phone": "+1 212 555 0100"], ["phone": "646-567-0000", "primary": true]]]],
                revision: 1)
            #expect(cara.primaryInfo?.phone == "646-567-0000")
            #expect(
                try ContactStoreQueryTests.firstNames(await queries.run(t, ["info.phones.phone": "+1 212 555 0100"]))
                    == ["Cara"])
            #expect(
                try ContactStoreQueryTests.firstNames(
                    await queries.run(t, ["info.phones.phone": ["$startsWith": "646-567"]]))
                    == ["Bob", "Cara"])
            #expect(
                try ContactStoreQueryTests.firstNames(
                    await queries.run(t, ["info.phones.phone": ["$in": ["646-567-6359", "x"]]]))
                    == ["Bob"])
            #expect(
                try ContactStoreQueryTests.firstNames(await queries.run(t, ["info.phones.phone": ["$exists": false]]))
                    == ["Ann", "Dan"])
            try await t.update(ids["Cara"]!, ["phones": ["items": []]], revision: 2)
            #expect(
                try ContactStoreQueryTests.firstNames(await queries.run(t, ["info.phones.phone": "+1 212 555 0100"]))
                    == [])
        }
    }

    @Test func startsWithIgnoresCaseAsBefore() async throws {
        try await TestStore.with { t in
            _ = try await ContactStoreQueryTests.seed(t)
            try await t.create(["name": ["first": "ÉVA", "last": "ann"], "company": "wixel"])
            func names(_ filter: JSONValue) async throws -> [String] {
                try ContactStoreQueryTests.firstNames(await queries.run(t, filter))
            }
            #expect(try await names(["info.name.first": ["$startsWith": "aN"]]) == ["Ann"])
            #expect(try await names(["info.name.last": ["$startsWith": "AN"]]) == ["ÉVA"])
            #expect(try await names(["info.company": ["$startsWith": "WIX"]]) == ["Ann", "Cara", "ÉVA"])
            // SQLite's lower() folds ASCII only: a non-ASCII capital matched itself, and still does.
            #expect(try await names(["info.name.first": ["$startsWith": "ÉV"]]) == [])
            #expect(try await names(["info.name.first": ["$startsWith": "É"]]) == [])
            #expect(try await names(["info.name.first": ["$startsWith": ""]]).count == 5)
            #expect(try await names(["primaryInfo.email": ["$startsWith": "BOB@ACME"]]) == ["Bob"])
            #expect(try await names(["info.emails.email": ["$startsWith": "ann"]]) == ["Ann"])
            #expect(try await names(["primaryInfo.phone": ["$startsWith": "646-"]]) == ["Bob"])
        }
    }

    @Test func anItemEqualityPagesTheSameWhicheverWayItIsRead() async throws {
        try await TestStore.with { t in
            let (vip, ids) = try await ContactStoreQueryTests.seed(t)
            for name in ["Bob", "Dan"] {
                try await t.update(ids[name]!, ["labelKeys": ["items": [.string(vip)]]], revision: 1)
            }
            // Newest first: Dan, Cara, Bob, Ann; each page read both ways gives the same contacts.
            for offset in 0..<5 {
                let query = ContactQuery(filter: ["info.labelKeys": .string(vip)], limit: 2, offset: offset)
                let compiled = try CompiledQuery(query)
                let walked = try await t.store.query(query)
                let searched = try await t.store.read { db in
                    try Int64.fetchAll(db, sql: compiled.pageSQL, arguments: compiled.arguments + [2, offset])
                }
                let walkedRows = try await t.store.read { db in
                    try Int64.fetchAll(db, sql: compiled.walkingPageSQL!, arguments: compiled.arguments + [2, offset])
                }
                #expect(walkedRows == searched)
                #expect(
                    try ContactStoreQueryTests.firstNames(walked)
                        == Array(["Dan", "Cara", "Bob", "Ann"].dropFirst(offset).prefix(2)))
                #expect(walked.total == 4)
            }
        }
    }

    @Test func pagingOnFromWhereThePreviousPageEndedKeepsOffsetsMeaning() async throws {
        try await TestStore.with { t in
            for index in 0..<12 { try await t.create(["name": ["first": .string("P\(index)")]]) }
            func names(_ offset: Int, _ filter: JSONObject = [:]) async throws -> [String] {
                try ContactStoreQueryTests.firstNames(
                    await t.store.query(ContactQuery(filter: filter, limit: 5, offset: offset)))
            }
            var seen: [String] = []
            for offset in stride(from: 0, to: 15, by: 5) { seen += try await names(offset) }
            #expect(seen == (0..<12).reversed().map { "P\($0)" })
            // The same pages again (now from the anchors), and a filtered query's own pages.
            #expect(try await names(5) == ["P6", "P5", "P4", "P3", "P2"])
            #expect(try await names(10) == ["P1", "P0"])
            let filter: JSONObject = ["info.name.first": ["$in": ["P1", "P3", "P5", "P7", "P9", "P11", "P0"]]]
            #expect(try await names(0, filter) == ["P11", "P9", "P7", "P5", "P3"])
            #expect(try await names(5, filter) == ["P1", "P0"])
            // A create moves every later page: the anchor taken before it no longer holds.
            try await t.create(["name": ["first": "New"]])
            #expect(try await names(5) == ["P7", "P6", "P5", "P4", "P3"])
            #expect(try await names(0) == ["New", "P11", "P10", "P9", "P8"])
        }
    }

    @Test func anyDeepOffsetGivesThePageTheOffsetNames() async throws {
        try await TestStore.with { t in
            // 12,345 contacts written straight into the table, three to a created date (ties
            // go by id; dates in milliseconds, from 2026-01-01), so a deep offset walks several
            // strides of anchors.
            try await t.store.write { db in
                try db.execute(
                    sql: """
                        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 12344)
                        INSERT INTO contact (id, revision, json, created_date, updated_date)
                        SELECT printf('c-%05d', (i * 7919) % 12345), 1, CAST('{}' AS BLOB),
                               1767225600000 + i / 3, 1767225600000
                        FROM n
                        """)
            }
            func expected(_ offset: Int) async throws -> [String] {
                try await t.store.read { db in
                    try String.fetchAll(
                        db, sql: "SELECT id FROM contact ORDER BY created_date DESC, id ASC LIMIT 50 OFFSET ?",
                        arguments: [offset])
                }
            }
            for offset in [12_000, 5_001, 10_000, 12_300, 7_777, 12_345, 5_000, 4_999, 11_999, 1] {
                let page = try await t.store.query(ContactQuery(limit: 50, offset: offset))
                #expect(page.contacts.map(\.id) == (try await expected(offset)), "offset \(offset)")
                #expect(page.total == 12_345)
            }
            // Creates and deletes move the anchors by the contacts they put before each one (or
            // drop them, past what `contact_order_change` keeps): the pages after them are the
            // new ones.
            try await t.create(["name": ["first": "Newest"]])
            let page = try await t.store.query(ContactQuery(limit: 50, offset: 10_000))
            #expect(page.contacts.map(\.id) == (try await expected(10_000)))
            try await t.store.write { db in
                // The 5,000th contact (an anchor itself), one before it, and one after it.
                try db.execute(
                    sql: """
                        DELETE FROM contact WHERE id IN (
                            SELECT id FROM contact ORDER BY created_date DESC, id LIMIT 1 OFFSET 4999);
                        DELETE FROM contact WHERE id = 'c-00007';
                        DELETE FROM contact WHERE id IN (
                            SELECT id FROM contact ORDER BY created_date DESC, id LIMIT 1 OFFSET 11000);
                        """)
            }
            try await t.create(["name": ["first": "Newer still"]])
            for offset in [12_000, 4_999, 5_000, 5_001, 10_000, 7_777, 12_300, 1] {
                let page = try await t.store.query(ContactQuery(limit: 50, offset: offset))
                #expect(page.contacts.map(\.id) == (try await expected(offset)), "offset \(offset) after deletes")
                #expect(page.total == 12_345 + 2 - 3)
            }
            try await t.store.write { db in
                try db.execute(sql: "DELETE FROM contact WHERE rowid IN (SELECT rowid FROM contact LIMIT 1100)")
            }
            for offset in [9_000, 5_000] {
                let page = try await t.store.query(ContactQuery(limit: 50, offset: offset))
                #expect(page.contacts.map(\.id) == (try await expected(offset)), "offset \(offset) after many deletes")
            }
        }
    }

    @Test func aLabelsKeptCountFollowsEveryWayItsHoldersChange() async throws {
        try await TestStore.with { t in
            let (vip, ids) = try await ContactStoreQueryTests.seed(t)
            let other = try await t.store.findOrCreateLabel(displayName: "Other").key
            func totals() async throws -> [Int] {
                var totals: [Int] = []
                for key in [vip, other] {
                    let kept = try await t.store.query(ContactQuery(filter: ["info.labelKeys": .string(key)])).total
                    let counted = try await t.store.read { db in
                        try Int.fetchOne(
                            db, sql: "SELECT COUNT(*) FROM contact_label WHERE label_key = ?", arguments: [key])
                    }
                    #expect(kept == counted, "\(key)")
                    totals.append(kept)
                }
                return totals
            }
            #expect(try await totals() == [2, 0])
            _ = try await t.store.labelContact(id: ids["Bob"]!, labelKeys: [vip, other])
            _ = try await t.store.labelContact(id: ids["Dan"]!, labelKeys: [other])
            #expect(try await totals() == [3, 2])
            _ = try await t.store.unlabelContact(id: ids["Ann"]!, labelKeys: [vip])
            #expect(try await totals() == [2, 2])
            try await t.store.deleteContact(id: ids["Bob"]!)  // its label rows go by cascade
            #expect(try await totals() == [1, 1])
            _ = try await t.store.mergeContacts(targetId: ids["Cara"]!, sourceIds: [ids["Dan"]!], targetRevision: nil)
            #expect(try await totals() == [1, 1])
            try await t.store.deleteLabel(key: other)
            #expect(try await totals() == [1, 0])
            let left = try await t.store.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contact_label_count")
            }
            #expect(left == 1, "a label nobody holds keeps no count row")
        }
    }

    @Test func updatesKeepTheAnchorsOfUnfilteredPagesAndCreatesMoveThem() async throws {
        try await TestStore.with { t in
            var contacts: [Contact] = []
            for index in 0..<12 { contacts.append(try await t.create(["name": ["first": .string("P\(index)")]])) }
            func names(_ offset: Int) async throws -> [String] {
                try ContactStoreQueryTests.firstNames(await t.store.query(ContactQuery(limit: 5, offset: offset)))
            }
            func anchored(at position: Int) async throws -> Bool {
                let (total, version) = try await t.store.read { db in
                    let row = try Row.fetchOne(db, sql: "SELECT n, version FROM contact_count")!
                    return (row[0] as Int, row[1] as Int64)
                }
                return t.store.pageAnchors.anchor(
                    for: try CompiledQuery(ContactQuery(limit: 5, offset: position)).key, atOrBefore: position,
                    stamp: UInt64(version), total: total)?.position == position
            }
            #expect(try await names(0) == ["P11", "P10", "P9", "P8", "P7"])
            #expect(try await anchored(at: 5))
            // An update keeps every contact where it was in the default order: the anchor holds.
            _ = try await t.update(contacts[9].id, ["name": ["first": "Nine"]], revision: 1)
            #expect(try await anchored(at: 5))
            #expect(try await names(5) == ["P6", "P5", "P4", "P3", "P2"])
            #expect(try await names(0) == ["P11", "P10", "Nine", "P8", "P7"])
            // A create moves every later page: the anchor moves one place on with it.
            try await t.create(["name": ["first": "New"]])
            #expect(try await names(5) == ["P7", "P6", "P5", "P4", "P3"])
            #expect(try await anchored(at: 6))
            #expect(try await names(10) == ["P2", "P1", "P0"])
        }
    }

    @Test func theTotalOfAnUnfilteredQueryFollowsCreates() async throws {
        try await TestStore.with { t in
            _ = try await ContactStoreQueryTests.seed(t)
            #expect(try await queries.run(t, [:], limit: 1).total == 4)
            try await t.create(["name": ["first": "Eve"]])
            #expect(try await queries.run(t, [:], limit: 1).total == 5)
        }
    }

    @Test func aFileWrittenBeforeTheIndexesIsBackfilled() async throws {
        try await TestStore.with { t in
            _ = try await ContactStoreQueryTests.seed(t)
            // Undo the migrations since v2, as a file of an earlier build has none of them.
            try await t.store.write { db in
                try db.execute(
                    sql: """
                        DROP TABLE contact_phone_number;
                        DROP TRIGGER contact_count_on_insert; DROP TRIGGER contact_count_on_delete;
                        DROP TABLE contact_count;
                        DROP TRIGGER contact_label_count_on_insert; DROP TRIGGER contact_label_count_on_delete;
                        DROP TABLE contact_label_count; DROP TABLE contact_order_change;
                        DELETE FROM grdb_migrations WHERE identifier LIKE 'v-%';
                        """)
                let items = [
                    ("contact_email", "email"), ("contact_phone", "phone_key"), ("contact_label", "label_key"),
                ]
                for (table, column) in items {
                    try db.execute(
                        sql: """
                            CREATE TEMP TABLE saved_\(table) AS SELECT c.id AS contact_id, i.\(column) AS v
                                FROM \(table) i JOIN contact c ON c.contact_key = i.contact_key;
                            DROP TABLE \(table);
                            """)
                }
                // The contact table as v1 made it: no declared key, v1's indexes.
                try db.execute(
                    sql: """
                        CREATE TABLE contact_v1 (
                            id TEXT PRIMARY KEY NOT NULL, revision INTEGER NOT NULL, json BLOB NOT NULL,
                            is_member INTEGER NOT NULL DEFAULT 0, first_name TEXT, last_name TEXT, company TEXT,
                            primary_email TEXT, primary_phone TEXT, created_date TEXT NOT NULL,
                            updated_date TEXT NOT NULL);
                        INSERT INTO contact_v1 SELECT id, revision, json, is_member, first_name, last_name, company,
                            primary_email, primary_phone,
                            strftime('%Y-%m-%dT%H:%M:%fZ', created_date / 1000.0, 'unixepoch'),
                            strftime('%Y-%m-%dT%H:%M:%fZ', updated_date / 1000.0, 'unixepoch')
                        FROM contact ORDER BY contact_key;
                        DROP TABLE contact;
                        ALTER TABLE contact_v1 RENAME TO contact;
                        CREATE INDEX contact_on_first_name ON contact(first_name);
                        CREATE INDEX contact_on_last_name ON contact(last_name);
                        CREATE INDEX contact_on_primary_email ON contact(primary_email);
                        CREATE INDEX contact_on_created_date ON contact(created_date);
                        CREATE INDEX contact_on_updated_date ON contact(updated_date);
                        """)
                // The JSON as is: builds of then did not pack it.
                let rows = try Row.fetchAll(db, sql: "SELECT rowid, json FROM contact").map { row in
                    (row[0] as Int64, try CompactJSON.unpack(Array(row[1] as Data)))
                }
                for (rowID, json) in rows {
                    try db.execute(sql: "UPDATE contact SET json = ? WHERE rowid = ?", arguments: [Data(json), rowID])
                }
                // The item tables as v1 made them, one with an item stored twice.
                for (table, column) in items {
                    try db.execute(
                        sql: """
                            CREATE TABLE \(table) (
                                contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
                                \(column) TEXT NOT NULL);
                            INSERT INTO \(table) SELECT * FROM saved_\(table);
                            INSERT INTO \(table) SELECT * FROM saved_\(table) LIMIT 1;
                            DROP TABLE saved_\(table);
                            CREATE INDEX \(table)_on_value ON \(table)(\(column));
                            CREATE INDEX \(table)_on_contact ON \(table)(contact_id);
                            """)
                }
            }
            let reopened = try ContactStore(
                path: t.directory.appendingPathComponent("contacts.sqlite").path,
                configuration: StoreConfiguration(durableCommits: false))
            let phone = try await reopened.query(ContactQuery(filter: ["info.phones.phone": "646-567-6359"]))
            #expect(try phone.contacts.map { try $0.contact().info.name?.first } == ["Bob"])
            #expect(try await reopened.query(ContactQuery(limit: 1)).total == 4)
            let email = try await reopened.query(ContactQuery(filter: ["info.emails.email": "ann.home@example.com"]))
            #expect(try email.contacts.map { try $0.contact().info.name?.first } == ["Ann"])
            #expect(email.total == 1)
            await expectError(.duplicateContactExists) {
                _ = try await reopened.create(
                    patch: ContactInfoPatch(json: ["emails": ["items": [["email": "bob@acme.com"]]]]))
            }
            // The dates are integer milliseconds again, each its contact's own (`v-integer-dates`),
            // and the items went through it with their contacts.
            let dates = try await reopened.read { db in
                try Row.fetchAll(db, sql: "SELECT id, typeof(created_date), created_date, updated_date FROM contact")
                    .map { ($0[0] as String, $0[1] as String, $0[2] as Int64, $0[3] as Int64) }
            }
            for (id, type, created, updated) in dates {
                let contact = try await reopened.snapshot(id: id).contact()
                #expect(type == "integer")
                #expect(Timestamp.rfc3339(millisecondsSince1970: created) == contact.createdDate)
                #expect(Timestamp.rfc3339(millisecondsSince1970: updated) == contact.updatedDate)
            }
            let oldest = try #require(dates.map(\.2).min())
            let since = Timestamp.rfc3339(millisecondsSince1970: oldest + 1)
            #expect(
                try await reopened.query(ContactQuery(filter: ["createdDate": ["$gte": .string(since)]])).total == 3)
            // The JSON is packed as the rows are copied into the keyed table.
            #expect(
                try await reopened.read { db in
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM contact WHERE substr(json, 1, 1) <> x'03'")
                } == 0)
            // The items are keyed by the contact's integer key, and go with their contact.
            let orphans = """
                SELECT (SELECT count(*) FROM contact_email WHERE contact_key NOT IN (SELECT contact_key FROM contact))
                     + (SELECT count(*) FROM contact_phone WHERE contact_key NOT IN (SELECT contact_key FROM contact))
                     + (SELECT count(*) FROM contact_phone_number WHERE contact_key NOT IN (SELECT contact_key FROM contact))
                """
            let itemCount = "SELECT (SELECT count(*) FROM contact_email) + (SELECT count(*) FROM contact_phone_number)"
            let itemsBefore = try await reopened.read { db in try Int.fetchOne(db, sql: itemCount) ?? 0 }
            try await reopened.deleteContact(id: try #require(phone.contacts.first?.id))
            #expect(try await reopened.read { db in try Int.fetchOne(db, sql: orphans) } == 0)
            #expect(try await reopened.read { db in try Int.fetchOne(db, sql: itemCount) ?? 0 } < itemsBefore)
            #expect(try await reopened.query(ContactQuery(filter: ["info.phones.phone": "646-567-6359"])).total == 0)
        }
    }
}
