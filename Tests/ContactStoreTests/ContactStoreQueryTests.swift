import ContactStore
import JSONCore
import Testing
import WixContacts

/// `contacts.query`: filters, operators, sorting and paging (SPEC §3).
@Suite struct ContactStoreQueryTests {
    /// Creates Ann Lee (Wix, vip), Bob Stone (Acme), Cara Lane (Wix, vip), Dan Ray (no company).
    static func seed(_ t: TestStore) async throws -> (vip: String, ids: [String: String]) {
        let vip = try await t.store.findOrCreateLabel(displayName: "VIP").key
        var ids: [String: String] = [:]
        ids["Ann"] = try await t.create([
            "name": ["first": "Ann", "last": "Lee"], "company": "Wix", "labelKeys": ["items": [.string(vip)]],
            "emails": ["items": [["email": "ann@wix.com"], ["email": "Ann.Home@Example.com"]]],
        ]).id
        ids["Bob"] = try await t.create([
            "name": ["first": "Bob", "last": "Stone"], "company": "Acme",
            "emails": ["items": [["email": "bob@acme.com"]]],
            "phones": ["items": [["phone": "646-567-6359", "countryCode": "US"]]],
        ]).id
        ids["Cara"] = try await t.create([
            "name": ["first": "Cara", "last": "Lane"], "company": "Wix", "labelKeys": ["items": [.string(vip)]],
        ]).id
        ids["Dan"] = try await t.create(["name": ["first": "Dan", "last": "Ray"]]).id
        return (vip, ids)
    }

    static func firstNames(_ page: ContactPage) throws -> [String] {
        try page.contacts.map { try $0.contact().info.name?.first ?? "" }
    }

    func run(
        _ t: TestStore, _ filter: JSONValue,
        sort: [ContactQuery.SortKey] = [
            .init(fieldName: "info.name.first")
        ], limit: Int = 50, offset: Int = 0
    ) async throws -> ContactPage {
        try await t.store.query(ContactQuery(filter: filter.objectValue!, sort: sort, limit: limit, offset: offset))
    }

    @Test func filtersOnNameFields() async throws {
        try await TestStore.with { t in
            _ = try await Self.seed(t)
            #expect(try Self.firstNames(await run(t, ["info.name.first": "Bob"])) == ["Bob"])
            #expect(try Self.firstNames(await run(t, ["info.name.last": ["$eq": "Lane"]])) == ["Cara"])
            #expect(try Self.firstNames(await run(t, ["info.name.last": ["$startsWith": "la"]])) == ["Cara"])
            #expect(try Self.firstNames(await run(t, ["info.name.first": ["$ne": "Bob"]])) == ["Ann", "Cara", "Dan"])
        }
    }

    @Test func filtersOnAnyEmailAndOnThePrimaryEmailIgnoringCase() async throws {
        try await TestStore.with { t in
            _ = try await Self.seed(t)
            #expect(try Self.firstNames(await run(t, ["info.emails.email": "ann.home@example.com"])) == ["Ann"])
            #expect(try Self.firstNames(await run(t, ["primaryInfo.email": "ann.home@example.com"])) == [])
            #expect(try Self.firstNames(await run(t, ["primaryInfo.email": "ANN@wix.com"])) == ["Ann"])
            #expect(try Self.firstNames(await run(t, ["primaryInfo.email": ["$exists": true]])) == ["Ann", "Bob"])
            #expect(try Self.firstNames(await run(t, ["info.emails.email": ["$startsWith": "bob@"]])) == ["Bob"])
        }
    }

    @Test func filtersOnCompanyLabelAndPhone() async throws {
        try await TestStore.with { t in
            let (vip, _) = try await Self.seed(t)
            #expect(try Self.firstNames(await run(t, ["info.company": "Wix"])) == ["Ann", "Cara"])
            #expect(try Self.firstNames(await run(t, ["info.company": ["$exists": false]])) == ["Dan"])
            #expect(try Self.firstNames(await run(t, ["info.labelKeys": .string(vip)])) == ["Ann", "Cara"])
            #expect(
                try Self.firstNames(await run(t, ["info.labelKeys": ["$hasSome": [.string(vip)]]])) == ["Ann", "Cara"])
            #expect(try Self.firstNames(await run(t, ["primaryInfo.phone": "646-567-6359"])) == ["Bob"])
        }
    }

    @Test func inAndLogicalOperatorsCombine() async throws {
        try await TestStore.with { t in
            _ = try await Self.seed(t)
            #expect(
                try Self.firstNames(await run(t, ["info.name.first": ["$in": ["Dan", "Ann", "Zed"]]])) == [
                    "Ann", "Dan",
                ])
            #expect(
                try Self.firstNames(
                    await run(t, ["$and": [["info.company": "Wix"], ["info.name.last": ["$startsWith": "L"]]]]))
                    == ["Ann", "Cara"])
            #expect(
                try Self.firstNames(await run(t, ["$or": [["info.company": "Acme"], ["info.name.first": "Dan"]]]))
                    == ["Bob", "Dan"])
            #expect(
                try Self.firstNames(
                    await run(
                        t,
                        [
                            "info.company": "Wix", "$or": [["info.name.first": "Cara"], ["info.name.first": "Bob"]],
                        ])) == ["Cara"])
        }
    }

    @Test func sortsAscendingAndDescending() async throws {
        try await TestStore.with { t in
            _ = try await Self.seed(t)
            let ascending = try await run(t, [:], sort: [.init(fieldName: "info.name.last", ascending: true)])
            #expect(try Self.firstNames(ascending) == ["Cara", "Ann", "Dan", "Bob"])
            let descending = try await run(t, [:], sort: [.init(fieldName: "info.name.last", ascending: false)])
            #expect(try Self.firstNames(descending) == ["Bob", "Dan", "Ann", "Cara"])
            let newestFirst = try await run(t, [:], sort: [])
            let newestNames = try Self.firstNames(newestFirst)
            #expect(newestNames == ["Dan", "Cara", "Bob", "Ann"])
            let byCompanyThenName = try await run(
                t, ["info.company": ["$exists": true]],
                sort: [
                    .init(fieldName: "info.company", ascending: false),
                    .init(fieldName: "info.name.first", ascending: false),
                ])
            #expect(try Self.firstNames(byCompanyThenName) == ["Cara", "Ann", "Bob"])
        }
    }

    @Test func pagesWithLimitAndOffsetAndReportsTheTotal() async throws {
        try await TestStore.with { t in
            _ = try await Self.seed(t)
            let first = try await run(t, [:], limit: 3, offset: 0)
            #expect(try Self.firstNames(first) == ["Ann", "Bob", "Cara"])
            #expect(first.count == 3)
            #expect(first.total == 4)
            #expect(first.offset == 0)
            let second = try await run(t, [:], limit: 3, offset: 3)
            #expect(try Self.firstNames(second) == ["Dan"])
            #expect(second.total == 4)
            #expect(second.offset == 3)
            let beyond = try await run(t, [:], limit: 3, offset: 10)
            #expect(beyond.contacts.isEmpty)
            #expect(beyond.total == 4)
            let filtered = try await run(t, ["info.company": "Wix"], limit: 1, offset: 1)
            #expect(try Self.firstNames(filtered) == ["Cara"])
            #expect(filtered.total == 2)
        }
    }

    @Test func filtersOnDates() async throws {
        try await TestStore.with { t in
            _ = try await Self.seed(t)
            let page = try await run(t, ["createdDate": ["$gte": .string(TestStore.timestamp(reading: 3))]])
            #expect(try Self.firstNames(page) == ["Cara", "Dan"])
        }
    }

    /// Dates compare as times, whatever form the operand takes: the contacts were created at
    /// 10:00:00.000 to .003 UTC, which text would put before `10:00:00Z` ('.' < 'Z').
    @Test func dateOperandsCompareAsTimesInAnyRFC3339Form() async throws {
        try await TestStore.with { t in
            _ = try await Self.seed(t)
            let second = "2026-11-29T10:00:00Z"
            #expect(try await run(t, ["createdDate": ["$gte": .string(second)]]).total == 4)
            #expect(try await run(t, ["createdDate": ["$lt": .string(second)]]).total == 0)
            let offset = "2026-11-29T12:00:00.002+02:00"
            #expect(
                try Self.firstNames(try await run(t, ["createdDate": ["$gte": .string(offset)]])) == ["Cara", "Dan"])
            #expect(try await run(t, ["createdDate": ["$in": [.string(offset)]]]).total == 1)
            #expect(try await run(t, ["updatedDate": ["$lte": "2026-11-29T10:00:00.0019Z"]]).total == 2)
            // A date alone is its midnight UTC: every contact of the day is after it, and before
            // the next one.
            #expect(try await run(t, ["createdDate": ["$gt": "2026-11-29"]]).total == 4)
            #expect(try await run(t, ["createdDate": ["$lt": "2026-11-30"]]).total == 4)
            #expect(try await run(t, ["createdDate": ["$lt": "2026-11-29"]]).total == 0)
            // A number is milliseconds since 1970 (2026-11-29T10:00:00.002Z).
            let milliseconds = try await run(t, ["createdDate": ["$gte": 1_795_946_400_002]])
            #expect(try Self.firstNames(milliseconds) == ["Cara", "Dan"])
            // Any other string is no date: said, not compared as text.
            let error = await expectError(.invalidArgument) {
                _ = try await run(t, ["updatedDate": ["$gte": "yesterday"]])
            }
            #expect(error?.violatedFields == ["filter.updatedDate.$gte"])
        }
    }

    @Test func unknownFilterFieldAndOperatorAreInvalidArguments() async throws {
        try await TestStore.with { t in
            _ = try await Self.seed(t)
            let field = await expectError(.invalidArgument) { _ = try await run(t, ["info.nickname": "x"]) }
            #expect(field?.violatedFields == ["filter.info.nickname"])
            let op = await expectError(.invalidArgument) { _ = try await run(t, ["info.company": ["$regex": "W"]]) }
            #expect(op?.violatedFields == ["filter.info.company.$regex"])
            let sort = await expectError(.invalidArgument) {
                _ = try await run(t, [:], sort: [.init(fieldName: "info.birthdate")])
            }
            #expect(sort?.violatedFields == ["sort[0].fieldName"])
        }
    }

    @Test func queryReflectsUpdates() async throws {
        try await TestStore.with { t in
            let (_, ids) = try await Self.seed(t)
            try await t.update(
                ids["Dan"]!, ["company": "Wix", "emails": ["items": [["email": "dan@wix.com"]]]], revision: 1)
            #expect(try Self.firstNames(await run(t, ["info.company": "Wix"])) == ["Ann", "Cara", "Dan"])
            #expect(try Self.firstNames(await run(t, ["info.emails.email": "dan@wix.com"])) == ["Dan"])
            try await t.update(ids["Ann"]!, ["labelKeys": ["items": []]], revision: 1)
            #expect(try Self.firstNames(await run(t, ["info.labelKeys": ["$exists": true]])) == ["Cara"])
        }
    }
}
