/// Why a byte sequence is not one JSON value.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The byte offset where parsing stopped.
    public let offset: Int
    /// What was wrong there.
    public let reason: String

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

extension JSONValue {
    /// The deepest nesting accepted; deeper input is rejected instead of exhausting the stack.
    public static let maximumDepth = 512

    /// Parses exactly one JSON value (RFC 8259), surrounded by optional white space.
    ///
    /// - Throws: ``JSONParseError`` for anything else: trailing data, invalid UTF-8 in strings,
    ///   lone surrogates, nesting deeper than ``maximumDepth``.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) in try parse(buffer: buffer) }
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { buffer throws(JSONParseError) in try parse(buffer: buffer) }
    }

    /// Parses one JSON value from a string.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    static func parse(buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(buffer)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == buffer.count else { throw parser.error("unexpected data after the value") }
        return value
    }
}

/// A recursive-descent parser over a byte buffer.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    func error(_ reason: String) -> JSONParseError {
        JSONParseError(offset: index, reason: reason)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseCommonOrString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end of input") }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] {
            throw error("invalid literal")
        }
        index += count
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONValue.maximumDepth else { throw error("nesting too deep") }
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(4)
        var hasDuplicates = false
        try parseMembers(depth: depth, name: { parser throws(JSONParseError) in try parser.parseCommonOrString() }) {
            key, value in
            if !hasDuplicates, members.count < 64, members.contains(where: { $0.key == key }) { hasDuplicates = true }
            members.append((key, value))
        }
        if hasDuplicates || members.count > 64 { return .object(JSONObject(members)) }
        return .object(JSONObject(distinctMembers: members))
    }

    /// Reads the object whose `{` is at `index`, its members' values at `depth`: `name` reads
    /// each member's name (the parser at its opening quote), and `member` gets what it returned
    /// with the value.
    @inline(__always)
    mutating func parseMembers<Name>(
        depth: Int, name readName: (inout JSONParser) throws(JSONParseError) -> Name,
        _ member: (Name, JSONValue) -> Void
    ) throws(JSONParseError) {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a member name") }
            let name = try readName(&self)
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            skipWhitespace()
            member(name, try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return
            } else {
                throw error("expected ',' or '}'")
            }
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONValue.maximumDepth else { throw error("nesting too deep") }
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            } else {
                throw error("expected ',' or ']'")
            }
        }
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw error("leading zero in number") }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid fraction") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid exponent") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if isInteger, index - start <= 18 { return .int(integer(from: start)) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw JSONParseError(offset: start, reason: "number out of range")
        }
        return .double(value)
    }

    /// The integer spelled from `start` up to `index`: an optional minus and at most 18 digits,
    /// so it fits an `Int` (read without making a string of it first).
    func integer(from start: Int) -> Int {
        let isNegative = bytes[start] == UInt8(ascii: "-")
        var value = 0
        for offset in (isNegative ? start + 1 : start)..<index {
            value = value &* 10 &+ Int(bytes[offset] &- UInt8(ascii: "0"))
        }
        return isNegative ? -value : value
    }

    func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes. Plain ASCII is stepped over eight bytes at a time.
        var isASCII = true
        while index + 8 <= bytes.count, !ByteWords.hasSpecialByte(ByteWords.load(bytes, at: index)) {
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if isASCII { return String(decoding: slice, as: UTF8.self) }
                return try validatedString(slice, at: start)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("control character in string") }
            if byte >= 0x80 { isASCII = false }
            index += 1
        }
        var scratch = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return try scratch.withUnsafeBufferPointer { buffer throws(JSONParseError) in
                    try validatedString(buffer, at: start)
                }
            case UInt8(ascii: "\\"):
                index += 1
                try appendEscape(to: &scratch)
            case ..<0x20:
                throw error("control character in string")
            default:
                scratch.append(byte)
                index += 1
            }
        }
        throw error("unterminated string")
    }

    /// A string (a member name or a value): one of ``CommonStrings`` when it spells one without
    /// escapes, else parsed as any string.
    mutating func parseCommonOrString() throws(JSONParseError) -> String {
        if let short = peekShortString(),
            let common = CommonStrings.string(spelledBy: short.words, count: short.count)
        {
            index += short.count + 2
            return common
        }
        return try parseString()
    }

    /// The string starting at `index` (its opening quote) when it has 1 to 16 bytes before the
    /// next quote, as two zero-padded little-endian words; `nil` otherwise. The bytes may hold
    /// escapes or anything else: only a caller comparing them with known strings (which have
    /// none) can trust a match.
    func peekShortString() -> (words: (UInt64, UInt64), count: Int)? {
        let start = index + 1
        guard start + 16 < bytes.count else {
            // Near the end of the text (a last member, `"id": 7}`), byte by byte.
            guard let end = bytes[start...].prefix(17).firstIndex(of: UInt8(ascii: "\"")), end > start else {
                return nil
            }
            return (ByteWords.padded(bytes[start..<end]), end - start)
        }
        let first = ByteWords.load(bytes, at: start)
        let second = ByteWords.load(bytes, at: start + 8)
        let count: Int
        let quoteInFirst = ByteWords.matches(first, UInt8(ascii: "\""))
        if quoteInFirst != 0 {
            count = ByteWords.firstFlagged(quoteInFirst)
        } else {
            let quoteInSecond = ByteWords.matches(second, UInt8(ascii: "\""))
            if quoteInSecond != 0 {
                count = 8 + ByteWords.firstFlagged(quoteInSecond)
            } else if bytes[start + 16] == UInt8(ascii: "\"") {
                count = 16
            } else {
                return nil
            }
        }
        guard count > 0 else { return nil }
        let words =
            count <= 8 ? (ByteWords.prefix(first, count), 0) : (first, ByteWords.prefix(second, count - 8))
        return (words, count)
    }

    func validatedString(_ slice: UnsafeBufferPointer<UInt8>, at start: Int) throws(JSONParseError) -> String {
        // ASCII needs no validation; anything else must be well-formed UTF-8.
        var isASCII = true
        for byte in slice where byte >= 0x80 {
            isASCII = false
            break
        }
        if isASCII { return String(decoding: slice, as: UTF8.self) }
        guard let string = String(validating: slice, as: UTF8.self) else {
            throw JSONParseError(offset: start, reason: "invalid UTF-8 in string")
        }
        return string
    }

    mutating func appendEscape(to scratch: inout [UInt8]) throws(JSONParseError) {
        guard index < bytes.count else { throw error("unterminated escape") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if (0xD800...0xDBFF).contains(scalar) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else {
                    throw error("lone surrogate")
                }
                index += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid surrogate pair") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw error("lone surrogate")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid escape") }
            scratch.append(contentsOf: UTF8.encode(unicode)!)
        default:
            throw error("invalid escape")
        }
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
