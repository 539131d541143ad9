import ContactStore
import Foundation
import GRDB
import JSONCore
import Testing
import WixContacts

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
            #expect(try ContactStoreQueryTests.firstNames(await queries.run(t, ["info.phones.phone": "+1 212 555 0100"])) == ["Cara"])
            #expect(
                try ContactStoreQueryTests.firstNames(await queries.run(t, ["info.phones.phone": ["$startsWith": "646-567"]]))
                    == ["Bob", "Cara"])
            #expect(
                try ContactStoreQueryTests.firstNames(await queries.run(t, ["info.phones.phone": ["$in": ["646-567-6359", "x"]]]))
                    == ["Bob"])
            #expect(
                try ContactStoreQueryTests.firstNames(await queries.run(t, ["info.phones.phone": ["$exists": false]]))
                    == ["Ann", "Dan"])
            try await t.update(ids["Cara"]!, ["phones": ["items": []]], revision: 2)
            #expect(try ContactStoreQueryTests.firstNames(await queries.run(t, ["info.phones.phone": "+1 212 555 0100"])) == [])
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
            // Undo the migration, as a file of an earlier build has none of it.
            try await t.store.write { db in
                try db.execute(
                    sql: """
                        DROP TABLE contact_phone_number;
                        DROP INDEX contact_on_lower_first_name; DROP INDEX contact_on_lower_last_name;
                        DROP INDEX contact_on_company; DROP INDEX contact_on_lower_company;
                        DROP INDEX contact_on_primary_phone; DROP INDEX contact_on_created_date_id;
                        CREATE INDEX contact_on_created_date ON contact(created_date);
                        DROP TRIGGER contact_count_on_insert; DROP TRIGGER contact_count_on_delete;
                        DROP TABLE contact_count;
                        DELETE FROM grdb_migrations WHERE identifier LIKE 'v-query-indexes%';
                        """)
            }
            let reopened = try ContactStore(
                path: t.directory.appendingPathComponent("contacts.sqlite").path,
                configuration: StoreConfiguration(durableCommits: false))
            let phone = try await reopened.query(ContactQuery(filter: ["info.phones.phone": "646-567-6359"]))
            #expect(try phone.contacts.map { try $0.contact().info.name?.first } == ["Bob"])
            #expect(try await reopened.query(ContactQuery(limit: 1)).total == 4)
        }
    }
}
