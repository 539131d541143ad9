extension JSONValue {
    /// The compact UTF-8 JSON text of the value: no white space, members in order, no raw newline,
    /// U+2028 and U+2029 escaped so the text is safe in one line of any line-based protocol.
    public func serialized() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(to: &output)
        return output
    }

    /// ``serialized()`` as a `String`.
    public func serializedString() -> String {
        String(decoding: serialized(), as: UTF8.self)
    }

    /// Appends the compact JSON text of the value to `output`.
    public func write(to output: inout [UInt8]) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): JSONValue.writeInteger(value, to: &output)
        case .double(let value): JSONValue.writeDouble(value, to: &output)
        case .string(let value): JSONValue.writeString(value, to: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (offset, item) in items.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                item.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in object {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                JSONValue.writeString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                value.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .raw(let raw):
            output.append(contentsOf: raw.bytes)
        }
    }

    /// Appends `value` in decimal, as `String(value)` spells it, without making that string.
    public static func writeInteger(_ value: Int, to output: inout [UInt8]) {
        if value >= 0, value < 10 {
            output.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // The digits, last first, at the end of a stack buffer (20 holds UInt64.max).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    static func writeDouble(_ value: Double, to output: inout [UInt8]) {
        guard value.isFinite else {
            output.append(contentsOf: "null".utf8)
            return
        }
        if value.rounded() == value, abs(value) < 1e15 {
            output.append(contentsOf: String(Int(value)).utf8)
            return
        }
        output.append(contentsOf: "\(value)".utf8)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `string` as a JSON string literal.
    public static func writeString(_ string: String, to output: inout [UInt8]) {
        // A native string (every one this module parses or the gateway builds) lends its UTF-8
        // as it is: no copy of the string, and the bytes are scanned in one inlined loop.
        if string.utf8.withContiguousStorageIfAvailable({ writeString(utf8: $0, to: &output) }) == nil {
            var string = string
            string.withUTF8 { writeString(utf8: $0, to: &output) }
        }
    }

    /// ``writeString(_:to:)`` of the string whose UTF-8 is `utf8`.
    @inline(__always)
    private static func writeString(utf8: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        let count = utf8.count
        while index < count {
            // Eight bytes at a time while none needs a look (a contact's strings mostly don't).
            if let base = utf8.baseAddress {
                while index + 8 <= count,
                    !needsALook(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                {
                    index += 8
                }
                if index == count { break }
            }
            let byte = utf8[index]
            // The common case, with plain comparisons: the range pattern below is matched
            // through a generic `~=`, one call per byte.
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && byte != 0xE2 {
                index += 1
                continue
            }
            // A byte to escape: the run before it goes out as it is, then the escape, written
            // byte by byte (an array per escape cost an allocation for every quote).
            let width: Int
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                width = 1
                output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                output.append(0x5C)
                output.append(byte)
            case 0x0A, 0x0D, 0x09:
                width = 1
                output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                output.append(0x5C)
                output.append(byte == 0x0A ? UInt8(ascii: "n") : byte == 0x0D ? UInt8(ascii: "r") : UInt8(ascii: "t"))
            case ..<0x20:
                width = 1
                output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                output.append(0x5C)
                output.append(UInt8(ascii: "u"))
                output.append(0x30)
                output.append(0x30)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0xF)])
            case 0xE2
            where index + 2 < count && utf8[index + 1] == 0x80
                && (utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9):
                // U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR.
                width = 3
                output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                output.append(contentsOf: "\\u202".utf8)
                output.append(utf8[index + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
            default:
                // Another character starting with 0xE2: no escape, the run goes on.
                index += 1
                continue
            }
            index += width
            runStart = index
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<count]))
        output.append(UInt8(ascii: "\""))
    }

    /// Whether any of the eight bytes in `word` is below 0x20, `"`, `\\` or 0xE2 (the first byte of
    /// U+2028 and U+2029): the bytes the loop above must look at. Exact, with the usual bit tricks:
    /// `(x - 0x01…01) & ~x & 0x80…80` is nonzero exactly when a byte of `x` is zero, and
    /// `(x - 0x20…20) & ~x & 0x80…80` exactly when a byte is below 0x20.
    @inline(__always)
    private static func needsALook(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let control = (word &- ones &* 0x20) & ~word & highs
        return control | hasZeroByte(word ^ (ones &* 0x22)) | hasZeroByte(word ^ (ones &* 0x5C))
            | hasZeroByte(word ^ (ones &* 0xE2)) != 0
    }
}
