import GRDB
import JSONCore
import Testing
import WixContacts

@testable import ContactStore

/// Every filter and sort of the query language (SPEC §3) runs from an index (issue #20): the
/// `EXPLAIN QUERY PLAN` of each shape is read, and a scan of the contacts creeping back fails.
///
/// A filter's page and total must *search* the contacts (through an index, or by id from a side
/// table's index), never walk them. An unfiltered sort may walk the index of its sort key (it
/// stops after the page), but never sort the whole table. The shapes that must scan are listed
/// in ``scansByNature`` with the reason. One walk is chosen on purpose: a large item set in the
/// default order (``aLargeItemSetIsReadInTheDefaultOrder()``), taken only when the count says
/// the walk is shorter than the set.
@Suite struct QueryPlanTests {
    static let label = "custom.vip"

    /// Filters that select a few contacts: each must be answered from an index.
    static let indexedFilters: [(String, JSONObject)] = [
        ("id", ["id": "id-1"]),
        ("id $in", ["id": ["$in": ["id-1", "id-2"]]]),
        ("first name", ["info.name.first": "Ann"]),
        ("first name $in", ["info.name.first": ["$in": ["Ann", "Bob"]]]),
        ("first name $startsWith", ["info.name.first": ["$startsWith": "An"]]),
        ("first name $exists false", ["info.name.first": ["$exists": false]]),
        ("first name range", ["info.name.first": ["$gte": "A", "$lt": "B"]]),
        ("last name", ["info.name.last": ["$eq": "Lee"]]),
        ("last name $startsWith", ["info.name.last": ["$startsWith": "le"]]),
        ("company", ["info.company": "Wix"]),
        ("company $in", ["info.company": ["$in": ["Wix", "Acme"]]]),
        ("company $startsWith", ["info.company": ["$startsWith": "wi"]]),
        ("company $exists false", ["info.company": ["$exists": false]]),
        ("primary email", ["primaryInfo.email": "Ann@Wix.com"]),
        ("primary email $in", ["primaryInfo.email": ["$in": ["ann@wix.com", "bob@acme.com"]]]),
        ("primary email $startsWith", ["primaryInfo.email": ["$startsWith": "ANN@"]]),
        ("primary email $exists false", ["primaryInfo.email": ["$exists": false]]),
        ("primary phone", ["primaryInfo.phone": "646-567-6359"]),
        ("primary phone $in", ["primaryInfo.phone": ["$in": ["646-567-6359"]]]),
        ("primary phone $startsWith", ["primaryInfo.phone": ["$startsWith": "646-5"]]),
        ("any email", ["info.emails.email": "ann.home@example.com"]),
        ("any email $in", ["info.emails.email": ["$in": ["ann@wix.com", "bob@acme.com"]]]),
        ("any email $startsWith", ["info.emails.email": ["$startsWith": "Ann."]]),
        ("any phone", ["info.phones.phone": "646-567-6359"]),
        ("any phone $in", ["info.phones.phone": ["$in": ["646-567-6359", "+1 212 555 0100"]]]),
        ("any phone $startsWith", ["info.phones.phone": ["$startsWith": "646"]]),
        ("label", ["info.labelKeys": .string(label)]),
        ("label $in", ["info.labelKeys": ["$in": [.string(label), "custom.other"]]]),
        ("label $hasSome", ["info.labelKeys": ["$hasSome": [.string(label)]]]),
        ("label $hasAll", ["info.labelKeys": ["$hasAll": [.string(label), "custom.other"]]]),
        ("created range", ["createdDate": ["$gte": "2026-11-29T10:00:00.000Z", "$lt": "2026-11-30T00:00:00.000Z"]]),
        ("created $eq", ["createdDate": "2026-11-29T10:00:00.000Z"]),
        ("updated range", ["updatedDate": ["$gt": "2026-11-29T10:00:00.000Z"]]),
        ("$and", ["$and": [["info.company": "Wix"], ["info.name.last": ["$startsWith": "L"]]]]),
        ("$or", ["$or": [["info.company": "Acme"], ["info.emails.email": "dan@wix.com"]]]),
        ("field and $or", ["info.company": "Wix", "$or": [["info.name.first": "Cara"], ["info.name.first": "Bob"]]]),
    ]

    /// Filters that match most contacts, or that Wix offers no index for: a walk is what they
    /// are. Each stays correct; none is in the issue's table of shapes to keep fast.
    static let scansByNature: [(String, JSONObject, reason: String)] = [
        ("company $ne", ["info.company": ["$ne": "Wix"]], "a negation: all but a few contacts"),
        ("$not", ["$not": ["info.company": "Wix"]], "a negation"),
        ("any email $ne", ["info.emails.email": ["$ne": "a@b.c"]], "a negation"),
        ("company $exists", ["info.company": ["$exists": true]], "most contacts have one"),
        ("any email $exists", ["info.emails.email": ["$exists": true]], "most contacts have one"),
        ("any email $exists false", ["info.emails.email": ["$exists": false]], "a negation of items"),
        (
            "phone $startsWith letters", ["info.phones.phone": ["$startsWith": "1-800-FL"]],
            "phones are indexed as entered; a prefix with letters must fold case"
        ),
        ("id $startsWith", ["id": ["$startsWith": "id-"]], "Wix offers no $startsWith on id"),
        ("label $startsWith", ["info.labelKeys": ["$startsWith": "custom."]], "nor on labels"),
    ]

    /// Every sort the emulator accepts, both ways.
    static let sortFields = [
        "createdDate", "updatedDate", "id", "info.name.first", "info.name.last", "info.company",
        "primaryInfo.email", "primaryInfo.phone", "info.emails.email",
    ]

    @Test func everySelectiveFilterSearchesAnIndex() async throws {
        try await withSeededStore { t in
            for (name, filter) in Self.indexedFilters {
                for sort in [[], [ContactQuery.SortKey(fieldName: "info.name.last")]] {
                    let compiled = try CompiledQuery(ContactQuery(filter: filter, sort: sort))
                    for (sql, arguments) in [
                        (compiled.pageSQL, compiled.arguments + [50, 0]), (compiled.countSQL, compiled.arguments),
                    ] {
                        let plan = try await Self.plan(t, sql, arguments)
                        // A kept count reads one row through a constant: not a scan.
                        let scans = plan.filter { $0.hasPrefix("SCAN") && $0 != "SCAN CONSTANT ROW" }
                        #expect(scans.isEmpty, "\(name) (sort \(sort.map(\.fieldName))): \(plan) for \(sql)")
                    }
                }
            }
        }
    }

    @Test func everySortReadsItsIndexInOrder() async throws {
        try await withSeededStore { t in
            for field in Self.sortFields {
                for ascending in [true, false] {
                    let compiled = try CompiledQuery(
                        ContactQuery(sort: [.init(fieldName: field, ascending: ascending)], offset: 1000))
                    let plan = try await Self.plan(t, compiled.pageSQL, compiled.arguments + [50, 1000])
                    let name = "\(field) \(ascending ? "ASC" : "DESC")"
                    #expect(plan.allSatisfy { $0 != "SCAN contact" }, "\(name): \(plan)")
                    #expect(!plan.contains("USE TEMP B-TREE FOR ORDER BY"), "\(name) sorts the table: \(plan)")
                }
            }
        }
    }

    @Test func theDefaultOrderAndTheTotalNeedNoSort() async throws {
        try await withSeededStore { t in
            let compiled = try CompiledQuery(ContactQuery(offset: 50_000))
            let plan = try await Self.plan(t, compiled.pageSQL, compiled.arguments + [50, 50_000])
            #expect(plan == ["SCAN contact USING COVERING INDEX contact_on_created_date_id"])
            #expect(compiled.countSQL == "SELECT n, version FROM contact_count")
        }
    }

    @Test func aLargeItemSetIsReadInTheDefaultOrder() async throws {
        try await withSeededStore { t in
            let compiled = try CompiledQuery(ContactQuery(filter: ["info.labelKeys": .string(Self.label)]))
            let walk = try await Self.plan(t, compiled.walkingPageSQL!, compiled.arguments + [50, 0])
            #expect(walk.first == "SCAN contact USING COVERING INDEX contact_on_created_date_id", "\(walk)")
            #expect(walk.last == "SEARCH l USING PRIMARY KEY (contact_key=? AND label_key=?)", "\(walk)")
            // The total is the label's kept count, not a count of its holders.
            let count = try await Self.plan(t, compiled.countSQL, compiled.arguments)
            #expect(
                count == [
                    "SCAN CONSTANT ROW", "SCALAR SUBQUERY 1",
                    "SEARCH contact_label_count USING PRIMARY KEY (label_key=?)",
                ], "\(count)")
            // Walked only when the set is large enough for the walk to be short.
            #expect(compiled.walksTheOrder(matches: 10_000, of: 1_000_000))
            #expect(
                try !CompiledQuery(ContactQuery(filter: ["info.labelKeys": .string(Self.label)], offset: 5000))
                    .walksTheOrder(matches: 10_000, of: 1_000_000))
            #expect(!compiled.walksTheOrder(matches: 100, of: 1_000_000))
        }
    }

    @Test func aCompanysFirstPageIsReadFromItsIndexInOrder() async throws {
        try await withSeededStore { t in
            let compiled = try CompiledQuery(ContactQuery(filter: ["info.company": "Wix"]))
            let plan = try await Self.plan(t, compiled.pageSQL, compiled.arguments + [50, 0])
            #expect(plan == ["SEARCH contact USING COVERING INDEX contact_on_company (company=?)"])
        }
    }

    @Test func aCompanySortedByANameIsSortedFromItsIndex() async throws {
        try await withSeededStore { t in
            for name in ["info.name.last", "info.name.first"] {
                let compiled = try CompiledQuery(
                    ContactQuery(filter: ["info.company": "Wix"], sort: [.init(fieldName: name)]))
                let plan = try await Self.plan(t, compiled.pageSQL, compiled.arguments + [50, 0])
                #expect(
                    plan == [
                        "SEARCH contact USING COVERING INDEX contact_on_company (company=?)",
                        "USE TEMP B-TREE FOR ORDER BY",
                    ],
                    "\(name): \(plan)")
            }
        }
    }

    @Test func shapesThatScanStillAnswerCorrectly() async throws {
        try await withSeededStore { t in
            for (name, filter, reason) in Self.scansByNature {
                let page = try await t.store.query(ContactQuery(filter: filter))
                #expect(page.total == page.contacts.count, "\(name) (\(reason))")
            }
        }
    }

    @Test func prefixSuccessorBoundsEveryExtension() {
        #expect(ContactFilterCompiler.successor(of: "ab") == "ac")
        #expect(ContactFilterCompiler.successor(of: "a\u{10FFFF}") == "b")
        #expect(ContactFilterCompiler.successor(of: "\u{D7FF}") == "\u{E000}")
        #expect(ContactFilterCompiler.successor(of: "\u{10FFFF}") == nil)
        #expect("ab\u{10FFFF}z" < ContactFilterCompiler.successor(of: "ab")!)
    }

    /// The default order's indexes grow at their end as contacts are created, so their pages
    /// fill up instead of being split in half at the front (`v-compact-rows`).
    @Test func creatingContactsFillsTheDefaultOrdersIndexPages() async throws {
        try await TestStore.with { t in
            for index in 0..<1_500 {
                try await t.create(["name": ["first": .string("D\(index)")], "company": "Acme"])
            }
            for index in ["contact_on_created_date_id", "contact_on_company"] {
                let fill = try await t.store.read { db in
                    try Double.fetchOne(
                        db,
                        sql:
                            "SELECT 1.0 - 1.0 * sum(unused) / sum(pgsize) FROM dbstat WHERE name = ? AND pagetype = 'leaf'",
                        arguments: [index])
                }
                #expect((fill ?? 0) > 0.8, "\(index): leaves \(Int((fill ?? 0) * 100)) % full")
            }
        }
    }

    // MARK: - Support

    func withSeededStore(_ body: (TestStore) async throws -> Void) async throws {
        try await TestStore.with { t in
            _ = try await ContactStoreQueryTests.seed(t)
            try await body(t)
        }
    }

    /// The `detail` lines of `EXPLAIN QUERY PLAN` for `sql`.
    static func plan(_ t: TestStore, _ sql: String, _ arguments: StatementArguments) async throws -> [String] {
        try await t.store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }
    }
}
