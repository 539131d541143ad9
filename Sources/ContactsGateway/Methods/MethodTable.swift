/// The methods by name, for the lookups every request makes (its ordering keys, an answer at
/// once, the call): an open-addressing table probed with a cheap hash of the name's bytes. A
/// `Dictionary` hashed the name with SipHash on each of them, about 380 instructions a lookup;
/// the names here are fixed and few, so a hash that an adversary could collide costs nothing but
/// a longer probe for a name that is not there.
struct MethodTable: Sendable {
    /// A power of two, at least four times the methods; each with its name's hash, compared
    /// before the name.
    private let slots: [(hash: Int, descriptor: MethodDescriptor)?]

    /// A table of `descriptors` (their names distinct).
    init(_ descriptors: [MethodDescriptor]) {
        var count = 16
        while count < descriptors.count * 4 { count *= 2 }
        var slots = [(hash: Int, descriptor: MethodDescriptor)?](repeating: nil, count: count)
        for descriptor in descriptors {
            let hash = Self.hash(of: descriptor.name)
            var slot = hash & (count - 1)
            while let taken = slots[slot] {
                precondition(taken.descriptor.name != descriptor.name, "\(descriptor.name) is described twice")
                slot = (slot + 1) & (count - 1)
            }
            slots[slot] = (hash, descriptor)
        }
        self.slots = slots
    }

    /// The method named `name`, if there is one.
    subscript(name: String) -> MethodDescriptor? {
        let mask = slots.count - 1
        let hash = Self.hash(of: name)
        var slot = hash & mask
        while let taken = slots[slot] {
            if taken.hash == hash, taken.descriptor.name == name { return taken.descriptor }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// A hash of the name's length and its first and last eight bytes (all of a shorter one's):
    /// weak, but the names are few and compared in full, and cheap for a name sent on every
    /// request.
    private static func hash(of name: String) -> Int {
        var name = name
        return name.withUTF8 { bytes in
            var mixed = UInt64(bytes.count)
            if bytes.count >= 8, let base = UnsafeRawPointer(bytes.baseAddress) {
                let first = base.loadUnaligned(as: UInt64.self)
                let last = base.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)
                mixed ^= (first &* 0x9E37_79B9_7F4A_7C15) ^ (last &* 0xBF58_476D_1CE4_E5B9)
            } else {
                for byte in bytes { mixed = (mixed ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            }
            mixed = (mixed ^ (mixed >> 31)) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: mixed ^ (mixed >> 29))
        }
    }
}
