@testable import ContactStore
import Foundation
import Testing

/// Contact and item ids are random version 4 UUIDs in lower case, as Wix writes them.
@Suite struct RandomUUIDTests {
    @Test func idsAreLowerCaseVersion4UUIDs() throws {
        let ids = (0..<1_000).map { _ in RandomUUID.lowercased() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let characters = Array(id)
            #expect(characters.count == 36)
            #expect([8, 13, 18, 23].allSatisfy { characters[$0] == "-" })
            #expect(characters[14] == "4")
            #expect("89ab".contains(characters[19]))
            #expect(id.allSatisfy { "0123456789abcdef-".contains($0) })
            // Foundation reads it back as the same UUID.
            #expect(UUID(uuidString: id)?.uuidString.lowercased() == id)
        }
    }

    @Test func bytesAreWrittenInOrder() {
        let bytes: [UInt8] = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x46, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF]
        #expect(RandomUUID.format(bytes) == "00112233-4455-4677-8899-aabbccddeeff")
    }
}
