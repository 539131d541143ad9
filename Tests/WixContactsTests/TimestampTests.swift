import Testing
import WixContacts

/// RFC 3339 timestamps with milliseconds and `YYYY-MM-DD` calendar dates.
@Suite struct TimestampTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (1_795_946_400_000, "2026-11-29T10:00:00.000Z"),
        (1_795_946_400_001, "2026-11-29T10:00:00.001Z"),
        (1_703_418_646_049, "2023-12-24T11:50:46.049Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ])
    func formatsAndParsesMilliseconds(millis: Int64, text: String) {
        #expect(Timestamp.rfc3339(millisecondsSince1970: millis) == text)
        #expect(Timestamp.millisecondsSince1970(rfc3339: text) == millis)
    }

    /// Years past 9999 (and before 0) still format, with as many digits as they need.
    @Test func formatsYearsOutsideFourDigits() {
        #expect(Timestamp.rfc3339(millisecondsSince1970: 253_402_300_800_000) == "10000-01-01T00:00:00.000Z")
        #expect(Timestamp.rfc3339(millisecondsSince1970: -62_167_219_200_001).hasSuffix("-12-31T23:59:59.999Z"))
    }

    /// The bytes appended to a buffer are the string's, after what the buffer held, for years
    /// of four digits and others.
    @Test(arguments: [
        Int64(0), 1_795_946_400_001, -1, 253_402_300_799_999, 253_402_300_800_000, -62_167_219_200_001,
    ])
    func appendsTheSameBytesAsItFormats(millis: Int64) {
        var bytes = Array("[".utf8)
        Timestamp.appendRFC3339(millisecondsSince1970: millis, to: &bytes)
        #expect(bytes == Array(("[" + Timestamp.rfc3339(millisecondsSince1970: millis)).utf8))
    }

    @Test func parsesOffsetsAndFractionsOfAnyLength() {
        let base: Int64 = 1_795_946_400_000
        #expect(Timestamp.millisecondsSince1970(rfc3339: "2026-11-29T10:00:00Z") == base)
        #expect(Timestamp.millisecondsSince1970(rfc3339: "2026-11-29T10:00:00.5Z") == base + 500)
        #expect(Timestamp.millisecondsSince1970(rfc3339: "2026-11-29T10:00:00.123456Z") == base + 123)
        #expect(Timestamp.millisecondsSince1970(rfc3339: "2026-11-29T12:00:00.000+02:00") == base)
        #expect(Timestamp.millisecondsSince1970(rfc3339: "2026-11-29T05:30:00.000-04:30") == base)
        #expect(Timestamp.millisecondsSince1970(rfc3339: "2026-11-29t10:00:00z") == base)
    }

    @Test(arguments: [
        "", "2026-11-29", "2026-11-29T10:00:00", "2026-11-29 10:00:00Z", "2026-02-30T10:00:00Z",
        "2026-11-29T24:00:00Z", "2026-11-29T10:60:00Z", "2026-11-29T10:00:00.Z", "2026-11-29T10:00:00Zjunk",
        "2026-11-29T10:00:00+0200",
    ])
    func rejectsMalformedTimestamps(text: String) {
        #expect(Timestamp.millisecondsSince1970(rfc3339: text) == nil)
    }

    @Test(arguments: ["2024-02-29", "2000-02-29", "1995-04-25", "2023-12-31", "0001-01-01"])
    func acceptsRealDates(text: String) {
        #expect(CalendarDate.isValid(text))
    }

    @Test(arguments: [
        "2023-02-29", "1900-02-29", "2023-13-01", "2023-00-10", "2023-04-31", "2023-04-00", "2023-4-01",
        "20230401", "2023/04/01", "2023-04-01T", "abcd-ef-gh", "",
    ])
    func rejectsInvalidDates(text: String) {
        #expect(!CalendarDate.isValid(text))
    }
}
