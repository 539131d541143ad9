import FastSQLite
import Foundation
import GRDB
import JSONCore
import WixContacts

/// How an entry's changed fields, timestamp and run are stored since `audit v6: compact
/// entries`, and how they read back as what the entry recorded (which every reader, and the
/// hash chain, sees). Entries written before keep their full text and read as they are.
///
/// - `changed_fields`: a list of top-level info fields in their wire order is stored as the
///   decimal bitmask of ``codedFields`` (`["info.name","info.emails"]` is `3`); any other list
///   as its JSON text. JSON text starts with `[`, a code with a digit.
/// - `timestamp`: empty when it is the RFC 3339 form of `timestamp_ms`, as every entry the
///   gateway writes is; otherwise the text.
/// - `run_id`: `NULL` with `run_key` naming the run's row in `audit_run`; the text when the run
///   has no row there.
///
/// A create's entry then holds about 150 bytes less, with its indexes.
enum CompactEntryColumns {
    /// The fields a code names, bit `n` for `codedFields[n]`. Frozen: a code written once keeps
    /// its meaning, so a field added later is not appended here (its lists are stored as text).
    static let codedFields = [
        "name", "emails", "phones", "addresses", "company", "jobTitle", "birthdate", "locale", "labelKeys",
        "extendedFields", "picture",
    ]

    /// The JSON text of a list of changed info fields (`"name"` for `info.name`), as recorded
    /// and hashed.
    ///
    /// Written straight into bytes, as the JSON encoder writes it (every entry the writer
    /// appends computes it for its hash): a tree of JSON values and an `"info." + name` string
    /// for each field cost about 2,000 instructions an entry.
    static func changedFieldsJSON(_ fields: [String]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(2 + fields.count * 16)
        text.append(UInt8(ascii: "["))
        for (index, field) in fields.enumerated() {
            if index > 0 { text.append(UInt8(ascii: ",")) }
            JSONValue.writeString("info." + field, to: &text)
        }
        text.append(UInt8(ascii: "]"))
        return String(decoding: text, as: UTF8.self)
    }

    /// ``changedFieldsJSON(_:)`` and ``storedChangedFields(_:)`` of `fields`, as an entry is
    /// appended. A gateway's writes mostly change the same fields as the one before (a client
    /// updating one field of many contacts), so the last list's forms are kept and reused.
    static func recordedChangedFields(_ fields: [String]) -> (json: String, stored: String) {
        if let last = lastChangedFields.value, last.fields == fields { return (last.json, last.stored) }
        let forms = (json: changedFieldsJSON(fields), stored: storedChangedFields(fields))
        lastChangedFields.value = (fields, forms.json, forms.stored)
        return forms
    }

    /// The last list ``recordedChangedFields(_:)`` worked out, with its forms.
    private static let lastChangedFields = LockedValue<(fields: [String], json: String, stored: String)?>(nil)

    /// What `changed_fields` stores for `fields` (names without `info.`).
    static func storedChangedFields(_ fields: [String]) -> String {
        var mask = 0
        var last = -1
        for field in fields {
            guard let index = codedFields.firstIndex(of: field), index > last else {
                return changedFieldsJSON(fields)  // outside the code, or out of wire order
            }
            mask |= 1 << index
            last = index
        }
        return fields.isEmpty ? "[]" : String(mask)
    }

    /// The JSON text that `stored` stands for; a value that is neither JSON text nor a code (an
    /// edit behind the gateway's back) reads as it is, so the chain check reports it.
    static func changedFieldsJSON(stored: String) -> String {
        guard let first = stored.utf8.first, first != UInt8(ascii: "["), let mask = Int(stored), mask > 0,
            mask < 1 << codedFields.count
        else { return stored }
        return changedFieldsJSON(codedFields.indices.filter { mask & (1 << $0) != 0 }.map { codedFields[$0] })
    }

    /// The changed fields (`info.name`, …) that `stored` stands for.
    static func changedFields(stored: String) -> [String] {
        let json = changedFieldsJSON(stored: stored)
        return (try? JSONValue.parse(json))?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// What `timestamp` stores for an entry recorded at `millis`: empty, since it is the
    /// canonical form.
    static let storedTimestamp = ""

    /// The timestamp an entry recorded: its stored text, or the RFC 3339 form of `millis` when
    /// that is left out.
    static func timestamp(stored: String, millis: Int64) -> String {
        stored.isEmpty ? Timestamp.rfc3339(millisecondsSince1970: millis) : stored
    }

    /// An entry's run id, in a query over `audit_entry`: its text, or its run's by key.
    static let runIdColumn =
        "COALESCE(run_id, (SELECT audit_run.run_id FROM audit_run WHERE audit_run.run_key = audit_entry.run_key))"

    /// A condition on `audit_entry` matching the entries of one run; bind the run id twice.
    static let runCondition = "(run_key = (SELECT run_key FROM audit_run WHERE run_id = ?) OR run_id = ?)"

    /// The key of run `runId` in `audit_run`, `nil` when the run has no row there (its entries
    /// then store the id).
    static func runKey(_ db: Database, runId: String?) throws -> Int? {
        guard let runId else { return nil }
        return try db.cachedStatement(sql: "SELECT run_key FROM audit_run WHERE run_id = ?")
            .fetchFirst(.text(runId)) { $0.int(0) }
    }
}

/// The run keys one log has looked up, so its writer reads each run's key once: a run's key
/// never changes (`audit_run` rows are neither deleted nor renumbered). A run not recorded yet
/// is looked up again the next time.
final class RunKeyCache: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: [String: Int] = [:]
    /// The run looked up last: a gateway's entries are nearly all its own run's, whose id is
    /// the same string every time, so comparing it is cheaper than hashing it.
    private var last: (runId: String, key: Int)?

    /// ``CompactEntryColumns/runKey(_:runId:)``, from memory after the first time.
    func key(_ db: Database, runId: String?) throws -> Int? {
        guard let runId else { return nil }
        let known = lock.withLock { () -> Int? in
            if let last, last.runId == runId { return last.key }
            guard let key = keys[runId] else { return nil }
            last = (runId, key)
            return key
        }
        if let known { return known }
        guard let key = try CompactEntryColumns.runKey(db, runId: runId) else { return nil }
        lock.withLock {
            keys[runId] = key
            last = (runId, key)
        }
        return key
    }
}
