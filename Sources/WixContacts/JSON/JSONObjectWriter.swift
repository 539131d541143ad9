public import JSONCore

/// Writes one JSON object's members straight to bytes, as `JSONValue.write(to:)` would write
/// the same members built as a tree: compact, in order, strings escaped alike.
public struct JSONObjectWriter: JSONMembers {
    private var bytes: [UInt8]
    private var hasMembers = false

    /// Starts an object at the end of `output`, taking its bytes over (without copying them)
    /// until ``finish()`` hands them back.
    public init(appendingTo output: inout [UInt8]) {
        bytes = []
        swap(&bytes, &output)
        bytes.append(UInt8(ascii: "{"))
    }

    /// Closes the object and returns every byte, those before it included.
    public mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        var done: [UInt8] = []
        swap(&done, &bytes)
        return done
    }

    /// Writes `"key":` (and the comma before it): the key's bytes as they are, since a model's
    /// member names need no escaping (``JSONMembers``). Scanning them as any string would be
    /// escaped was 10,000 instructions of a contact's 25,000.
    ///
    /// The member's prefix is put together on the stack and appended at once: each append to the
    /// array checks its storage, and a member took five.
    private mutating func key(_ key: StaticString) {
        let comma = hasMembers
        hasMembers = true
        key.withUTF8Buffer { name in
            let length = name.count + (comma ? 4 : 3)
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { prefix in
                var index = 0
                if comma {
                    prefix[0] = UInt8(ascii: ",")
                    index = 1
                }
                prefix[index] = UInt8(ascii: "\"")
                _ = UnsafeMutableBufferPointer(rebasing: prefix[(index + 1)...]).initialize(from: name)
                prefix[length - 2] = UInt8(ascii: "\"")
                prefix[length - 1] = UInt8(ascii: ":")
                bytes.append(contentsOf: UnsafeBufferPointer(prefix))
            }
        }
    }

    public mutating func appendUnchecked(_ key: StaticString, _ value: JSONValue) {
        self.key(key)
        value.write(to: &bytes)
    }

    public mutating func appendIfPresent(_ key: StaticString, _ value: String?) {
        guard let value, !value.isEmpty else { return }
        self.key(key)
        JSONValue.writeString(value, to: &bytes)
    }

    public mutating func appendIfPresent(_ key: StaticString, _ value: Bool?) {
        guard let value else { return }
        appendUnchecked(key, .bool(value))
    }

    public mutating func appendIfPresent(_ key: StaticString, _ value: Int?) {
        guard let value else { return }
        appendUnchecked(key, .int(value))
    }

    public mutating func appendIfPresent<T: JSONRepresentable>(_ key: StaticString, _ value: T?) {
        guard let value else { return }
        let start = bytes.count
        let hadMembers = hasMembers
        self.key(key)
        let valueStart = bytes.count
        value.writeJSON(to: &bytes)
        // An empty object is left out, member and all.
        if bytes.count == valueStart + 2, bytes[valueStart] == UInt8(ascii: "{") {
            bytes.removeSubrange(start...)
            hasMembers = hadMembers
        }
    }

    public mutating func appendItems<T: JSONRepresentable>(_ key: StaticString, _ items: [T]?) {
        guard let items, !items.isEmpty else { return }
        self.key(key)
        bytes.append(contentsOf: #"{"items":["#.utf8)
        for (offset, item) in items.enumerated() {
            if offset > 0 { bytes.append(UInt8(ascii: ",")) }
            item.writeJSON(to: &bytes)
        }
        bytes.append(contentsOf: "]}".utf8)
    }

    public mutating func appendStringItems(_ key: StaticString, _ items: [String]?) {
        guard let items, !items.isEmpty else { return }
        self.key(key)
        bytes.append(contentsOf: #"{"items":["#.utf8)
        for (offset, item) in items.enumerated() {
            if offset > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONValue.writeString(item, to: &bytes)
        }
        bytes.append(contentsOf: "]}".utf8)
    }

    public mutating func appendMapItems(_ key: StaticString, _ items: JSONObject?) {
        guard let items, !items.isEmpty else { return }
        self.key(key)
        bytes.append(contentsOf: #"{"items":"#.utf8)
        JSONValue.object(items).write(to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }
}
