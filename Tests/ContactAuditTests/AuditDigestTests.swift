@testable import ContactAudit
import JSONCore
import Foundation
import Testing

/// The chain's hash input is a published format (`AuditChain`'s doc, SPEC §6): a stored log
/// written by any build must verify with every later one.
@Suite struct AuditDigestTests {
    /// `hash(n)` of fixed inputs, against the value Python's `hashlib` computes from the format:
    /// `sha256(prev + b"contacts-gateway audit chain v1\n%d\n" % seq + fields + b"\n%d:" % len(before)
    /// + before + b"\n%d:" % len(after) + after)`.
    @Test func theDigestMatchesTheFormatComputedIndependently() {
        let digest = AuditChain.digest(
            previous: Array(0..<32), seq: 1_234_567,
            fields: [.null, .int(-42), .int(0), .int(Int.max), .text("text \"quoted\""), .text("")],
            before: Array(#"{"id":"c-1","revision":3}"#.utf8), after: [])
        let hex = digest.map { String(format: "%02x", $0) }.joined()
        #expect(hex == "974b1ecb7ace39c9fbcc7375f091a0657b2576cb83179ef73004e3fd5ba99942")
    }

    /// The changed fields' text is hashed: whatever writes it must write the JSON encoder's text.
    @Test func theChangedFieldsTextIsTheEncodersText() {
        let lists = [
            [], ["company"], ["name", "emails", "picture"], CompactEntryColumns.codedFields, ["company", "new\"field"],
        ]
        for fields in lists {
            let encoded = JSONValue.array(fields.map { .string("info." + $0) }).serializedString()
            #expect(CompactEntryColumns.changedFieldsJSON(fields) == encoded)
        }
        // The forms the writer reuses from the list before are the list's own, whatever came before.
        for fields in lists + lists.reversed() + [["company"], ["company"], ["name"], ["company"]] {
            let recorded = CompactEntryColumns.recordedChangedFields(fields)
            #expect(recorded.json == CompactEntryColumns.changedFieldsJSON(fields))
            #expect(recorded.stored == CompactEntryColumns.storedChangedFields(fields))
        }
    }

    /// The fields written one at a time hash as the list of them does.
    @Test func canonicalFieldsWrittenOneByOneHashAsTheirList() {
        var fields = AuditChain.CanonicalFields(seq: 1_234_567)
        fields.append(text: nil)
        fields.append(int: -42)
        fields.append(int: 0)
        fields.append(int: Int.max)
        fields.append(text: "text \"quoted\"")
        fields.append(text: "")
        fields.append(int: nil)
        let before = Array(#"{"id":"c-1","revision":3}"#.utf8)
        let digest = AuditChain.digest(previous: Array(0..<32), fields: fields, before: before, after: [])
        let listed = AuditChain.digest(
            previous: Array(0..<32), seq: 1_234_567,
            fields: [.null, .int(-42), .int(0), .int(Int.max), .text("text \"quoted\""), .text(""), .null],
            before: before, after: [])
        #expect(digest == listed)
    }
}
