/// Random (version 4) UUIDs in lower case, as Wix names contacts and their items.
///
/// Foundation's `UUID()` on Linux opens, reads and closes `/dev/urandom` for each one, and a
/// contact created with an email and a phone takes three (issue #21: three `openat` calls per
/// create). These come from the standard library's generator, which asks the kernel without a
/// file, and are written out directly instead of through `uuidString` and `lowercased()`.
public enum RandomUUID {
    /// A new random UUID, `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx` in lower-case hex.
    public static func lowercased() -> String {
        var generator = SystemRandomNumberGenerator()
        let words: (UInt64, UInt64) = (generator.next(), generator.next())
        var bytes = withUnsafeBytes(of: words) { Array($0) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        return format(bytes)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `bytes` (16) as a UUID's 36 characters, lower-case hex with dashes.
    static func format(_ bytes: [UInt8]) -> String {
        precondition(bytes.count == 16, "a UUID is 16 bytes")
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    buffer[position] = UInt8(ascii: "-")
                    position += 1
                }
                buffer[position] = hexDigits[Int(byte >> 4)]
                buffer[position + 1] = hexDigits[Int(byte & 0x0F)]
                position += 2
            }
            return position
        }
    }
}
