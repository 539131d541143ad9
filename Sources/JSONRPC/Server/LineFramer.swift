#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Splits a byte stream into lines: `\n` ends a line, a trailing `\r` is dropped, blank lines
/// (spaces, tabs, `\r` only) are skipped, and a line longer than the limit is reported once and
/// thrown away up to its newline without being buffered.
///
/// A line that fits in one read is handed out straight from the read buffer; only a line split
/// across reads is copied into `carry`, which never grows past the limit.
struct LineFramer {
    /// The longest accepted line, terminator excluded.
    let maxLineBytes: Int
    /// The start of a line whose end has not been read yet.
    private var carry: [UInt8] = []
    /// Whether the current line is over the limit and is being skipped.
    private var discarding = false

    init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    /// Bytes held for an unfinished line; never more than `maxLineBytes + 1`.
    var bufferedByteCount: Int { carry.count }

    /// Splits `chunk`, calling `line` for every complete non-blank line and `overlong` once for
    /// every line over the limit.
    mutating func consume(
        _ chunk: UnsafeRawBufferPointer,
        line: (UnsafeBufferPointer<UInt8>) -> Void,
        overlong: () -> Void
    ) {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var start = 0
        while start < chunk.count {
            let remaining = chunk.count - start
            guard let found = memchr(bytes + start, Int32(UInt8(ascii: "\n")), remaining) else {
                keepPartial(UnsafeBufferPointer(start: bytes + start, count: remaining), overlong: overlong)
                return
            }
            let end = base.distance(to: UnsafeRawPointer(found))
            let segment = UnsafeBufferPointer(start: bytes + start, count: end - start)
            start = end + 1
            if discarding {
                discarding = false
                continue
            }
            if carry.isEmpty {
                emit(segment, line: line, overlong: overlong)
            } else if carry.count + segment.count > maxLineBytes + 1 {
                // Over even with a `\r` allowed for; `emit` would say so after copying it all.
                resetCarry()
                overlong()
            } else {
                carry.append(contentsOf: segment)
                carry.withUnsafeBufferPointer { emit($0, line: line, overlong: overlong) }
                resetCarry()
            }
        }
    }

    /// Handles a last line that has no newline before end of input.
    mutating func finish(line: (UnsafeBufferPointer<UInt8>) -> Void, overlong: () -> Void) {
        defer {
            resetCarry()
            discarding = false
        }
        guard !discarding, !carry.isEmpty else { return }
        carry.withUnsafeBufferPointer { emit($0, line: line, overlong: overlong) }
    }

    // MARK: - Private

    /// Keeps the start of an unfinished line, unless that already makes it too long.
    private mutating func keepPartial(_ bytes: UnsafeBufferPointer<UInt8>, overlong: () -> Void) {
        guard !discarding else { return }
        // `+ 1`: the last byte kept may be the `\r` of a `\r\n` that is not part of the line.
        if carry.count + bytes.count > maxLineBytes + 1 {
            resetCarry()
            discarding = true
            overlong()
        } else {
            carry.append(contentsOf: bytes)
        }
    }

    private func emit(
        _ segment: UnsafeBufferPointer<UInt8>,
        line: (UnsafeBufferPointer<UInt8>) -> Void,
        overlong: () -> Void
    ) {
        var count = segment.count
        if count > 0, segment[count - 1] == UInt8(ascii: "\r") { count -= 1 }
        guard count <= maxLineBytes else {
            overlong()
            return
        }
        let trimmed = UnsafeBufferPointer(rebasing: segment[0..<count])
        guard !Self.isBlank(trimmed) else { return }
        line(trimmed)
    }

    private mutating func resetCarry() {
        // Give back the memory of a huge line; keep a small buffer for the next split line.
        if carry.capacity > 1 << 20 {
            carry = []
        } else {
            carry.removeAll(keepingCapacity: true)
        }
    }

    private static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): continue
            default: return false
            }
        }
        return true
    }
}
