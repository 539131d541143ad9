/// RFC 3339 UTC timestamps with milliseconds (`2026-11-29T10:00:00.000Z`), the form Wix writes.
///
/// Hand-rolled because it runs on every write and Foundation's formatters are neither cheap nor
/// `Sendable`.
public enum Timestamp {
    /// Formats milliseconds since 1970-01-01T00:00:00Z.
    public static func rfc3339(millisecondsSince1970 millis: Int64) -> String {
        let parts = Parts(millis)
        // The common case, written straight into the string's storage.
        if parts.hasFourDigitYear { return String(unsafeUninitializedCapacity: 24, initializingUTF8With: parts.write) }
        var text = ""
        text.reserveCapacity(24)
        text += pad(Int(parts.year), 4) + "-" + pad(parts.month, 2) + "-" + pad(parts.day, 2) + "T"
        text += pad(parts.secondOfDay / 3600, 2) + ":" + pad(parts.secondOfDay / 60 % 60, 2) + ":"
        text += pad(parts.secondOfDay % 60, 2) + "." + pad(parts.milliseconds, 3) + "Z"
        return text
    }

    /// Appends the UTF-8 of ``rfc3339(millisecondsSince1970:)`` to `bytes`, without making a
    /// string first (the audit chain's canonical text takes one per entry, on the writer).
    public static func appendRFC3339(millisecondsSince1970 millis: Int64, to bytes: inout [UInt8]) {
        let parts = Parts(millis)
        guard parts.hasFourDigitYear else {
            return bytes.append(contentsOf: rfc3339(millisecondsSince1970: millis).utf8)
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            bytes.append(contentsOf: buffer[..<parts.write(buffer)])
        }
    }

    /// A UTC time's calendar fields.
    private struct Parts {
        let year: Int64
        let month: Int
        let day: Int
        let secondOfDay: Int
        let milliseconds: Int

        init(_ millis: Int64) {
            let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
            milliseconds = Int(millis - seconds * 1000)
            let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
            secondOfDay = Int(seconds - days * 86_400)
            (year, month, day) = civilDate(daysSince1970: days)
        }

        /// Whether the year has four digits, the form ``write(_:)`` writes.
        var hasFourDigitYear: Bool { (0...9999).contains(year) }

        /// Writes the 24 bytes of the timestamp into `buffer` (of at least that many), for a
        /// year of four digits; returns 24.
        func write(_ buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var value = value
                for index in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(Int(year), 4, at: 0)
            put(month, 2, at: 5)
            put(day, 2, at: 8)
            put(secondOfDay / 3600, 2, at: 11)
            put(secondOfDay / 60 % 60, 2, at: 14)
            put(secondOfDay % 60, 2, at: 17)
            put(milliseconds, 3, at: 20)
            buffer[4] = UInt8(ascii: "-")
            buffer[7] = UInt8(ascii: "-")
            buffer[10] = UInt8(ascii: "T")
            buffer[13] = UInt8(ascii: ":")
            buffer[16] = UInt8(ascii: ":")
            buffer[19] = UInt8(ascii: ".")
            buffer[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// Parses an RFC 3339 timestamp (any offset, optional fraction) into milliseconds since 1970.
    public static func millisecondsSince1970(rfc3339 text: String) -> Int64? {
        // A native string lends its UTF-8 as it is, without a copy into an array.
        if let parsed = text.utf8.withContiguousStorageIfAvailable(millisecondsSince1970(rfc3339:)) {
            return parsed
        }
        return Array(text.utf8).withUnsafeBufferPointer(millisecondsSince1970(rfc3339:))
    }

    /// ``millisecondsSince1970(rfc3339:)`` of the timestamp whose UTF-8 is `bytes`.
    private static func millisecondsSince1970(rfc3339 bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard bytes.count >= 20 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 else { return nil }
                value = value * 10 + Int(bytes[index] - 48)
            }
            return value
        }
        guard let year = number(0..<4), bytes[4] == 45, let month = number(5..<7), bytes[7] == 45,
            let day = number(8..<10), bytes[10] == 84 || bytes[10] == 116, let hour = number(11..<13),
            bytes[13] == 58, let minute = number(14..<16), bytes[16] == 58, let second = number(17..<19),
            CalendarDate.isValid(year: year, month: month, day: day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var millis = 0
        if index < bytes.count, bytes[index] == 46 {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 3 { millis = millis * 10 + Int(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 3)..<3 { millis *= 10 }
        }
        guard index < bytes.count else { return nil }
        var offsetSeconds = 0
        if bytes[index] == 90 || bytes[index] == 122 {
            index += 1
        } else if bytes[index] == 43 || bytes[index] == 45, let hours = number(index + 1..<index + 3),
            index + 3 < bytes.count, bytes[index + 3] == 58, let minutes = number(index + 4..<index + 6)
        {
            offsetSeconds = (hours * 3600 + minutes * 60) * (bytes[index] == 45 ? -1 : 1)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = daysSince1970(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        return seconds * 1000 + Int64(millis)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    // Howard Hinnant's days-from-civil algorithms.
    static func civilDate(daysSince1970 days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysSince1970(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// Calendar dates in `YYYY-MM-DD` form, as `birthdate` uses.
public enum CalendarDate {
    /// Whether `text` is `YYYY-MM-DD` and names a real day (`2023-02-29` does not).
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == 45, bytes[7] == 45 else { return false }
        var parts: [Int] = []
        for range in [0..<4, 5..<7, 8..<10] {
            var value = 0
            for index in range {
                guard bytes[index] >= 48, bytes[index] <= 57 else { return false }
                value = value * 10 + Int(bytes[index] - 48)
            }
            parts.append(value)
        }
        return isValid(year: parts[0], month: parts[1], day: parts[2])
    }

    /// Whether the numbers name a real day of the proleptic Gregorian calendar.
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }
}
