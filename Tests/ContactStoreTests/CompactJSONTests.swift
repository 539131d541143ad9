import CompactJSON
import Foundation
import GRDB
import Testing
import WixContacts

@testable import ContactStore

/// The contact row's packed JSON (issue #20): it reads back exactly, it is much smaller, JSON as
/// is still reads, and a damaged value is refused rather than misread.
struct CompactJSONTests {
    static let contact = Array(
        #"""
        {"id":"03ee60cc-0156-4fa2-aefc-ae48ce322d08","revision":3,"source":{"sourceType":"OTHER"},"createdDate":"2026-12-05T00:49:37.757Z","updatedDate":"2026-12-05T00:50:01.112Z","lastActivity":{"activityDate":"2026-12-05T00:49:37.757Z","activityType":"CONTACT_CREATED"},"primaryInfo":{"email":"anna.smith@gmail.com","phone":"+1 415-555-0134"},"info":{"name":{"first":"Anna","last":"Smith"},"emails":{"items":[{"id":"0dba9596-1932-4428-a554-feb005640bff","tag":"MAIN","email":"anna.smith@gmail.com","primary":true}]},"phones":{"items":[{"id":"fd8e9228-1f7c-45dc-99db-e99c15ba23f7","tag":"MOBILE","countryCode":"US","phone":"+1 415-555-0134","e164Phone":"+14155550134","primary":true}]},"company":"Acme Inc.","jobTitle":"Manager","extendedFields":{"items":{"contacts.displayByFirstName":"Anna Smith","contacts.displayByLastName":"Smith Anna"}}},"primaryEmail":{"email":"anna.smith@gmail.com","subscriptionStatus":"NOT_SET","deliverabilityStatus":"NOT_SET"}}
        """#.utf8)

    /// ``contact`` as builds before dictionary version 2 packed it: `0x02` and a frame against
    /// version 1, without its magic number.
    static let packedWithVersion1 = bytes(
        """
        64b5027d0800824c251d70a76d03bcc705ca053168a9f969ab2b2e7b6a62b9b4760a3e13ffff420704c1ad25454113706381c2502d80\
        68834afe3fd7b0a29c9e0aa1beb4103ab5bea70ccb3baaa8cf628c25dce388a9d9edcf7774f7b4a0bc031d715a4838140c030552706b\
        c996c4fb7fcf2512807028180c0c6e8d35d34844f0e6c63005417b3ccd7270a99656679b4fb1e653667bc7134f293cba0b062c205062\
        8690f101028083c76a60510dee75a17ae5d05790bf01ce060ded9078eb0e7acf0dac0a5c5703485ec564116881c09b1e909d0cc09b21\
        f40960e0edfb5e50b3055c2201b903e8c1853ac0bab517552f3f7609a4615564b654516ec73c67987aa0af802650ebd834e03a65554e\
        c69839c496192b8af6eebc
        """, format: 0x02)

    static func bytes(_ hex: String, format: UInt8) -> [UInt8] {
        let digits = Array(hex.utf8)
        return [format]
            + stride(from: 0, to: digits.count, by: 2).map { index in
                UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16)!
            }
    }

    @Test func aContactPacksToAFractionAndReadsBackExactly() throws {
        let packed = CompactJSON.pack(Self.contact)
        #expect(packed.first == 0x03)
        #expect(packed.count * 3 < Self.contact.count, "\(packed.count) of \(Self.contact.count) bytes")
        #expect(try CompactJSON.unpack(packed) == Self.contact)
    }

    /// Values packed against dictionary version 1 (`0x02`) still read, and version 2 packs the
    /// same contact smaller: its entropy tables come with the dictionary instead of each frame.
    @Test func aValuePackedWithTheFirstDictionaryReads() throws {
        #expect(try CompactJSON.unpack(Self.packedWithVersion1) == Self.contact)
        let packed = CompactJSON.pack(Self.contact)
        #expect(
            packed.count < Self.packedWithVersion1.count * 9 / 10,
            "\(packed.count) against \(Self.packedWithVersion1.count)")
    }

    /// Values packed before the frames' magic number was left out (`0x01`, version 1's whole
    /// frame) still read, and are refused when damaged.
    @Test func aWholeFrameOfTheFirstFormatReads() throws {
        let bare = Self.packedWithVersion1.dropFirst()
        var whole: [UInt8] = [0x01, 0x28, 0xB5, 0x2F, 0xFD] + bare
        #expect(try CompactJSON.unpack(whole) == Self.contact)
        whole[whole.count / 2] ^= 0xFF
        #expect(throws: CompactJSON.DamagedValue.self) { try CompactJSON.unpack(whole) }
        // Without its magic number, a whole frame is no frame.
        #expect(throws: CompactJSON.DamagedValue.self) { try CompactJSON.unpack([0x01] + bare) }
    }

    @Test func jsonAsIsReadsAsIs() throws {
        // Rows written before packing, small values, and hand edits keep their JSON.
        #expect(try CompactJSON.unpack(Self.contact) == Self.contact)
        let small = Array(#"{"id":"a","revision":1}"#.utf8)
        #expect(CompactJSON.pack(small) == small)
    }

    @Test func aLargeContactWithLittleInCommonRoundTrips() throws {
        // 100 KB of items: past the dictionary, past deflate's window.
        var random = SystemRandomNumberGenerator()
        let items = (0..<2_000).map { index in
            #"{"id":"\#(index)","email":"\#(UInt64.random(in: 0...UInt64.max, using: &random))@x.org"}"#
        }
        let json = Array(#"{"info":{"emails":{"items":[\#(items.joined(separator: ","))]}}}"#.utf8)
        let packed = CompactJSON.pack(json)
        #expect(packed.count < json.count)
        #expect(try CompactJSON.unpack(packed) == json)
    }

    @Test func aDamagedValueIsRefused() {
        var packed = CompactJSON.pack(Self.contact)
        packed[packed.count / 2] ^= 0xFF
        #expect(throws: CompactJSON.DamagedValue.self) { try CompactJSON.unpack(packed) }
        #expect(throws: CompactJSON.DamagedValue.self) { try CompactJSON.unpack(Array(packed.prefix(20))) }
        for format: UInt8 in [0x01, 0x02, 0x03] {
            #expect(throws: CompactJSON.DamagedValue.self) { try CompactJSON.unpack([format]) }
            #expect(throws: CompactJSON.DamagedValue.self) {
                try CompactJSON.unpack([format, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])
            }
        }
        #expect(CompactJSON.unpackedOrAsStored(Array(packed.prefix(20))) == Array(packed.prefix(20)))
    }

    @Test func threadsPackAndUnpackAtOnce() async throws {
        // Each thread has its own streams: many at once never mix their state.
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for round in 0..<200 {
                        let json = Array(
                            #"{"task":\#(task),"round":\#(round),"pad":"\#(String(repeating: "ab", count: 40))"}"#.utf8)
                        guard try CompactJSON.unpack(CompactJSON.pack(json)) == json else { return false }
                    }
                    return true
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }
}

/// The store's side of packing: rows are packed as written, and a damaged row is an
/// `INTERNAL_ERROR` naming the contact, never misread JSON.
struct StoredJSONTests {
    @Test func aContactIsStoredPackedAndReadBackWhole() async throws {
        try await TestStore.with { t in
            let contact = try await t.create(["name": ["first": "Packed"], "company": "Acme Incorporated Ltd."])
            let stored = try await t.store.read { db in
                try Data.fetchOne(db, sql: "SELECT json FROM contact WHERE id = ?", arguments: [contact.id])
            }
            #expect(stored?.first == 0x03)
            #expect(try await t.store.snapshot(id: contact.id).contact().info.company == "Acme Incorporated Ltd.")
        }
    }

    /// `compact`'s pass packs JSON stored as is and packs again what an earlier build packed
    /// against dictionary version 1; what is current, or damaged, it leaves.
    @Test func packingRowsPacksJSONAndValuesOfTheFirstDictionaryAgain() async throws {
        try await TestStore.with { t in
            var created: [String] = []
            for name in ["AsIs", "First", "Current", "Damaged"] {
                created.append(try await t.create(["name": ["first": .string(name)], "company": "Acme Ltd."]).id)
            }
            let ids = created
            let damaged = Array(CompactJSONTests.packedWithVersion1.dropLast(6)) + [0, 0, 0, 0, 0, 0]
            let written: [[UInt8]] = [CompactJSONTests.contact, CompactJSONTests.packedWithVersion1, [], damaged]
            let stored = { (id: String) in
                try await t.store.read { db in
                    try Data.fetchOne(db, sql: "SELECT json FROM contact WHERE id = ?", arguments: [id])
                        .map { Array($0) }
                }
            }
            let current = try #require(try await stored(ids[2]))
            try await t.store.write { db in
                for (id, json) in zip(ids, written) where !json.isEmpty {
                    try db.execute(sql: "UPDATE contact SET json = ? WHERE id = ?", arguments: [Data(json), id])
                }
            }
            let pass = try await t.store.write { db in try ContactStore.packRows(db, after: 0, limit: 10) }
            #expect(pass.rows == 4 && pass.packed == 2)
            #expect(pass.bytesBefore == CompactJSONTests.contact.count + CompactJSONTests.packedWithVersion1.count)
            for id in ids.prefix(2) {
                let repacked = try #require(try await stored(id))
                #expect(repacked.first == 0x03 && repacked.count < CompactJSONTests.packedWithVersion1.count)
                #expect(try CompactJSON.unpack(repacked) == CompactJSONTests.contact)
            }
            #expect(try await stored(ids[2]) == current)
            #expect(try await stored(ids[3]) == damaged)
        }
    }

    @Test func aDamagedRowIsAnInternalErrorNamingTheContact() async throws {
        try await TestStore.with { t in
            let contact = try await t.create(["name": ["first": "Damaged"], "company": "Acme Incorporated Ltd."])
            // A new store: the first one holds the contact in memory.
            try await t.store.write { db in
                try db.execute(
                    sql: "UPDATE contact SET json = substr(json, 1, length(json) - 6) || x'000000000000' WHERE id = ?",
                    arguments: [contact.id])
            }
            let reopened = try ContactStore(
                path: t.directory.appendingPathComponent("contacts.sqlite").path,
                configuration: StoreConfiguration(durableCommits: false))
            let error = await expectError(.internalError) { _ = try await reopened.snapshot(id: contact.id) }
            #expect(error?.message.contains(contact.id) == true)
        }
    }
}
