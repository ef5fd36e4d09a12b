import Foundation

/// The one text form of instants in Harvest's database: ISO-8601 in UTC with milliseconds,
/// `2026-01-31T12:00:00.000Z`.
///
/// The width is fixed, so comparing two such strings compares the instants; SQL can sort and
/// range-scan them without parsing. Dates before year 0 or after 9999 are clamped.
public enum UTCTime {
    /// Formats `date` as `YYYY-MM-DDTHH:MM:SS.sssZ`.
    public static func format(_ date: Date) -> String {
        var milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        milliseconds = min(max(milliseconds, minimumMilliseconds), maximumMilliseconds)
        let (days, millisecondOfDay) = floorDivision(milliseconds, 86_400_000)
        let civil = CivilDate(daysSinceEpoch: days)
        let seconds = millisecondOfDay / 1000
        return "\(pad(civil.year, 4))-\(pad(civil.month, 2))-\(pad(civil.day, 2))T"
            + "\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2))."
            + "\(pad(millisecondOfDay % 1000, 3))Z"
    }

    /// Reads the form ``format(_:)`` writes (milliseconds optional).
    public static func parse(_ text: String) -> Date? {
        guard text.hasSuffix("Z") else { return nil }
        return try? TimeInput.parse(text, defaultZone: .utc)
    }

    private static let minimumMilliseconds: Int64 = -62_167_219_200_000  // 0000-01-01T00:00:00Z
    private static let maximumMilliseconds: Int64 = 253_402_300_799_999  // 9999-12-31T23:59:59.999Z

    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    static func floorDivision(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = value >= 0 ? value / divisor : (value - divisor + 1) / divisor
        return (quotient, value - quotient * divisor)
    }
}

/// A proleptic Gregorian calendar date, converted to and from days since 1970-01-01 without Calendar.
///
/// Pure arithmetic (Howard Hinnant's `days_from_civil`), so it is fast and never consults the machine's
/// time zone.
struct CivilDate: Equatable {
    var year: Int64
    var month: Int64
    var day: Int64

    init(year: Int64, month: Int64, day: Int64) {
        self.year = year
        self.month = month
        self.day = day
    }

    init(daysSinceEpoch: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    var daysSinceEpoch: Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    var isValid: Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[Int(month - 1)]
    }
}
