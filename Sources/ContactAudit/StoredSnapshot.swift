import CompactJSON
import JSONCore

/// Snapshots as the log stores them: JSON, or packed as the embedded store's contact row keeps
/// it (``CompactJSON``): a `before` the gateway took from the row's bytes
/// (``AuditRecord/storedBefore``), an `after` a trigger copied from the row (``ContactRowAfters``).
enum StoredSnapshot {
    /// The JSON `stored` holds, for the hash chain: as stored when it does not unpack, so a
    /// damaged value hashes differently and `verify` names its entry instead of stopping.
    static func bytes(_ stored: [UInt8]) -> [UInt8] {
        CompactJSON.unpackedOrAsStored(stored)
    }

    /// The JSON `stored` holds, for readers: `null` when it is not JSON once unpacked, so a
    /// damaged value never reaches a response (`verify` names its entry).
    static func json(_ stored: [UInt8]) -> RawJSON {
        guard let json = try? CompactJSON.unpack(stored), json.first == UInt8(ascii: "{") else {
            return RawJSON(trusted: Array("null".utf8))
        }
        return RawJSON(trusted: json)
    }
}
