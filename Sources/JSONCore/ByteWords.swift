/// Eight bytes of JSON text at a time, as one little-endian word: the string scanner's fast path
/// asks whether any of them ends or escapes a string, or is not ASCII, in a few operations
/// instead of eight comparisons.
enum ByteWords {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `offset` (the caller checks there are eight).
    @inline(__always)
    static func load(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + offset).loadUnaligned(as: UInt64.self))
    }

    /// The high bit of each byte of `word` that equals `byte`; the lowest one set marks the first
    /// such byte exactly (bits above it may be set falsely).
    @inline(__always)
    static func matches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let spread = word ^ (ones &* UInt64(byte))
        return (spread &- ones) & ~spread & highBits
    }

    /// Whether any byte of `word` is a quote, a backslash, a control character or not ASCII:
    /// anything a string's fast scan cannot simply step over.
    @inline(__always)
    static func hasSpecialByte(_ word: UInt64) -> Bool {
        let control = (word &- ones &* 0x20) & ~word & highBits
        return (matches(word, UInt8(ascii: "\"")) | matches(word, UInt8(ascii: "\\")) | control | (word & highBits))
            != 0
    }

    /// The index of the first byte flagged in a non-zero `mask` of high bits.
    @inline(__always)
    static func firstFlagged(_ mask: UInt64) -> Int {
        mask.trailingZeroBitCount >> 3
    }

    /// Up to 16 bytes as two zero-padded words, as ``load(_:at:)`` would read them.
    static func padded(_ bytes: some Sequence<UInt8>) -> (UInt64, UInt64) {
        var words: (UInt64, UInt64) = (0, 0)
        for (offset, byte) in bytes.enumerated() {
            let shifted = UInt64(byte) &<< UInt64(8 * (offset & 7))
            if offset < 8 { words.0 |= shifted } else { words.1 |= shifted }
        }
        return words
    }

    /// `word` with only its first `count` bytes kept (0 through 8).
    @inline(__always)
    static func prefix(_ word: UInt64, _ count: Int) -> UInt64 {
        count >= 8 ? word : word & ((1 &<< UInt64(8 &* count)) &- 1)
    }
}
