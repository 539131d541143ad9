import CompactJSONCodec

/// How the embedded store keeps a contact's JSON in SQLite: packed against a dictionary of
/// contact JSON (issue #20: the JSON was most of a contact's bytes).
///
/// A packed value is `0x03` followed by a Zstandard frame, without its magic number, against
/// version 2 of the dictionary (``CompactJSONCodec``); the frame records the JSON's length and
/// checksum. Values packed before still read: `0x02`, the same against version 1 (twice the
/// packing time, ~15 % larger), and `0x01`, version 1's whole frame. JSON as is (an object: its
/// first byte is `{`) is a valid stored value too, so values the packing would not shrink and
/// rows written by hand with `sqlite3` read back: ``unpack(_:)`` tells them apart by that first
/// byte.
public enum CompactJSON {
    /// The first byte of a value packed with version 1 of the dictionary, as a whole frame.
    static let packedV1: UInt8 = 0x01
    /// The first byte of a value packed with version 1 of the dictionary, as a frame without its
    /// magic number (4 bytes less).
    static let packedV1Bare: UInt8 = 0x02
    /// The first byte of a value packed with version 2 of the dictionary (version 1's content with
    /// entropy tables), as a frame without its magic number: what ``pack(_:)`` writes.
    static let packedV2Bare: UInt8 = 0x03

    /// `json` as the store keeps it: packed when that is smaller, else as is.
    public static func pack(_ json: [UInt8]) -> [UInt8] {
        guard json.count > 64 else { return json }
        // Room for less than the JSON itself: a frame that does not fit is not worth keeping.
        var stored = [UInt8](unsafeUninitializedCapacity: json.count) { buffer, count in
            buffer[0] = packedV2Bare
            let written = json.withUnsafeBufferPointer { source in
                compact_json_pack(source.baseAddress, source.count, buffer.baseAddress! + 1, buffer.count - 1)
            }
            count = written == 0 ? 0 : written + 1
        }
        if stored.isEmpty { stored = json }
        return stored
    }

    /// The JSON `stored` holds: unpacked, or `stored` itself when it is not packed.
    ///
    /// - Throws: ``DamagedValue`` when it is packed but does not unpack to the length it records.
    public static func unpack(_ stored: [UInt8]) throws(DamagedValue) -> [UInt8] {
        // The dictionary's version; a whole frame (`0x01`) is version 1's.
        let dictionary: Int32
        switch stored.first {
        case packedV2Bare: dictionary = 2
        case packedV1Bare, packedV1: dictionary = 1
        default: return stored
        }
        let isWholeFrame = stored.first == packedV1
        return try stored.withUnsafeBufferPointer { (source) throws(DamagedValue) -> [UInt8] in
            let frame = source.baseAddress! + 1
            let length =
                isWholeFrame
                ? compact_json_framed_length(frame, source.count - 1)
                : compact_json_unpacked_length(frame, source.count - 1)
            guard length > 0 else { throw DamagedValue() }
            var unpacked = true
            let json = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
                unpacked =
                    isWholeFrame
                    ? compact_json_unpack_framed(frame, source.count - 1, buffer.baseAddress, length) == 1
                    : compact_json_unpack(dictionary, frame, source.count - 1, buffer.baseAddress, length) == 1
                count = unpacked ? length : 0
            }
            guard unpacked else { throw DamagedValue() }
            return json
        }
    }

    /// Whether `stored` is packed against a dictionary before the current one (`0x01`, `0x02`):
    /// ``pack(_:)`` would store its JSON smaller.
    public static func isPackedWithAnEarlierDictionary(_ stored: [UInt8]) -> Bool {
        stored.first == packedV1 || stored.first == packedV1Bare
    }

    /// ``unpack(_:)``, or `stored` as is when it does not unpack: for what hashes values as
    /// stored, where a damaged value must hash differently rather than stop the check.
    public static func unpackedOrAsStored(_ stored: [UInt8]) -> [UInt8] {
        (try? unpack(stored)) ?? stored
    }

    /// A packed value that does not unpack to the JSON it announces.
    public struct DamagedValue: Error, Sendable {}
}
