import PhoneNumbers
import Testing

/// Hand-written cases: the Wix Contacts examples and the input rules of `PhoneNumberResolver`.
@Suite("PhoneNumberResolver")
struct PhoneNumberResolverTests {
    @Test("Wix Contacts examples")
    func wixExamples() {
        #expect(PhoneNumberResolver.resolve(phone: "097495550", regionCode: "IL")?.e164 == "+97297495550")
        let us = PhoneNumberResolver.resolve(phone: "646-567-6359", regionCode: "US")
        #expect(us == ResolvedPhoneNumber(e164: "+16465676359", international: "+1 646-567-6359", regionCode: "US"))
        #expect(PhoneNumberResolver.resolve(phone: "6464464789", regionCode: "US")?.international == "+1 646-446-4789")
    }

    @Test(
        "formatting characters and a leading plus are accepted",
        arguments: [
            "+1 (646) 567-6359", "(646) 567-6359", "646.567.6359", "646/567 6359", "1 646 567 6359",
            "16465676359", "+16465676359", "011 1 646 567 6359", "\u{FF0B}1\u{3000}646\u{2013}567\u{2013}6359",
        ])
    func usSpellings(phone: String) {
        #expect(PhoneNumberResolver.resolve(phone: phone, regionCode: "US")?.e164 == "+16465676359")
    }

    @Test("the national trunk prefix is stripped")
    func trunkPrefix() {
        #expect(PhoneNumberResolver.resolve(phone: "020 7946 0958", regionCode: "GB")?.e164 == "+442079460958")
        #expect(PhoneNumberResolver.resolve(phone: "030 123456", regionCode: "DE")?.e164 == "+4930123456")
        #expect(
            PhoneNumberResolver.resolve(phone: "050-234-5678", regionCode: "IL")?.international == "+972 50-234-5678")
        #expect(PhoneNumberResolver.resolve(phone: "+44 (0)20 7946 0958", regionCode: "US")?.e164 == "+442079460958")
    }

    @Test("the region's calling code without a plus is accepted")
    func callingCodeWithoutPlus() {
        #expect(PhoneNumberResolver.resolve(phone: "972 97495550", regionCode: "IL")?.e164 == "+97297495550")
        #expect(PhoneNumberResolver.resolve(phone: "49 30 123456", regionCode: "DE")?.e164 == "+4930123456")
    }

    @Test("region codes are case-insensitive")
    func lowerCaseRegion() {
        #expect(PhoneNumberResolver.resolve(phone: "646-567-6359", regionCode: "us")?.e164 == "+16465676359")
        #expect(PhoneNumberResolver.resolve(phone: "097495550", regionCode: "iL")?.regionCode == "IL")
    }

    @Test("a plus number keeps its own calling code and owner region")
    func foreignPlusNumber() {
        let gb = PhoneNumberResolver.resolve(phone: "+44 20 7946 0958", regionCode: "US")
        #expect(gb == ResolvedPhoneNumber(e164: "+442079460958", international: "+44 20 7946 0958", regionCode: "GB"))
        // Regions sharing +1: a Toronto number typed for US is valid and belongs to CA.
        #expect(PhoneNumberResolver.resolve(phone: "416-555-0123", regionCode: "US")?.regionCode == "CA")
    }

    @Test(
        "invalid numbers give nil",
        arguments: [
            "", "   ", "123", "646-567-635", "646-567-63591", "055-123-4567", "+999 1234567",
            "646-567-6359 ext 12", "1-800-FLOWERS", "646+567-6359", "++16465676359", "abc", "+",
            "+800 1234 5678", String(repeating: "9", count: 200),
        ])
    func invalidNumbers(phone: String) {
        #expect(PhoneNumberResolver.resolve(phone: phone, regionCode: "US") == nil)
    }

    @Test("unsupported or malformed regions give nil", arguments: ["", "ZZ", "001", "USA", "U", "XK", "ı"])
    func unsupportedRegion(region: String) {
        #expect(PhoneNumberResolver.resolve(phone: "646-567-6359", regionCode: region) == nil)
    }

    @Test("supported regions are sorted, unique and include the required ones")
    func supportedRegions() {
        let regions = PhoneNumberResolver.supportedRegions
        #expect(regions == regions.sorted())
        #expect(Set(regions).count == regions.count)
        let required = """
            CN IN US ID PK NG BR BD RU MX JP ET PH EG VN CD TR IR DE TH GB FR TZ ZA IT KE MM KR CO ES
            UG AR DZ SD IQ UA CA PL AF MA SA UZ PE MY AO GH MZ YE NP VE AU IL NL SE CH BE AT PT GR IE
            """.split(whereSeparator: \.isWhitespace).map(String.init)
        #expect(Set(required).subtracting(regions).isEmpty)
    }

    @Test("resolving is safe from many threads at once")
    func concurrentResolution() async {
        let results = await withTaskGroup(of: String?.self) { group in
            for index in 0..<64 {
                group.addTask {
                    let region = index.isMultiple(of: 2) ? "US" : "IL"
                    let phone = index.isMultiple(of: 2) ? "646-567-6359" : "097495550"
                    return PhoneNumberResolver.resolve(phone: phone, regionCode: region)?.e164
                }
            }
            return await group.reduce(into: Set<String?>()) { $0.insert($1) }
        }
        #expect(results == ["+16465676359", "+97297495550"])
    }
}
