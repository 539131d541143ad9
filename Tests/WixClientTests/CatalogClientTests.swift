import JSONCore
import Testing
import WixContacts

/// The REST client's label calls against the real emulator.
@Suite struct CatalogClientTests {
    @Test func labelsFoundOrCreatedAreListedByKey() async throws {
        try await ClientHarness.with { harness in
            #expect(try await harness.client.labels().isEmpty)
            let vip = try await harness.client.findOrCreateLabel(displayName: "VIP")
            let lead = try await harness.client.findOrCreateLabel(displayName: "Lead")
            #expect(vip == ContactLabel(key: "custom.vip", displayName: "VIP"))
            #expect(try await harness.client.findOrCreateLabel(displayName: "vip") == vip)
            #expect(try await harness.client.labels() == [lead, vip])
        }
    }
}
