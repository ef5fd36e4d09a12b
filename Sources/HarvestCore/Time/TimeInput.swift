import Foundation

/// Reads the times users type (`--from`): ISO-8601 with a zone, or a plain `YYYY-MM-DD HH:MM:SS` or
/// `YYYY-MM-DD` read in a given offset (the Octoparse account's zone, not the machine's).
public enum TimeInput {
    /// Parses `text`; a time without a zone is read in `defaultZone`.
    ///
    /// Accepted: `2026-01-31T12:00:00Z`, `2026-01-31T12:00:00.250+08:00`, `2026-01-31 12:00:00`,
    /// `2026-01-31`.
    public static func parse(_ text: String, defaultZone: UTCOffset) throws(InputError) -> Date {
        let bad = InputError(
            "bad time \(text.quotedForMessage): expected ISO-8601 such as 2026-01-31T12:00:00Z, "
                + "or YYYY-MM-DD HH:MM:SS in \(defaultZone)"
        )
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[range] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard bytes.count >= 10, let year = number(0..<4), bytes[4] == UInt8(ascii: "-"),
            let month = number(5..<7), bytes[7] == UInt8(ascii: "-"), let day = number(8..<10)
        else { throw bad }
        let date = CivilDate(year: year, month: month, day: day)
        guard date.isValid else { throw bad }

        var secondsOfDay: Int64 = 0
        var milliseconds: Int64 = 0
        var index = 10
        if bytes.count > 10 {
            guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
                let hour = number(11..<13), bytes.count > 13, bytes[13] == UInt8(ascii: ":"),
                let minute = number(14..<16), bytes.count > 16, bytes[16] == UInt8(ascii: ":"),
                let second = number(17..<19), hour < 24, minute < 60, second < 60
            else { throw bad }
            secondsOfDay = hour * 3600 + minute * 60 + second
            index = 19
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                var fraction = index + 1
                var scale: Int64 = 100
                while fraction < bytes.count, (48...57).contains(bytes[fraction]) {
                    milliseconds += Int64(bytes[fraction] - 48) * scale
                    scale /= 10
                    fraction += 1
                }
                guard fraction > index + 1 else { throw bad }
                index = fraction
            }
        }
        var zone = defaultZone
        if index < bytes.count {
            guard let explicit = try? UTCOffset(parsing: String(decoding: bytes[index...], as: UTF8.self)),
                bytes[index] != UInt8(ascii: " ")
            else { throw bad }
            zone = explicit
        }
        let epochSeconds = date.daysSinceEpoch * 86_400 + secondsOfDay - Int64(zone.seconds)
        return Date(timeIntervalSince1970: TimeInterval(epochSeconds) + TimeInterval(milliseconds) / 1000)
    }
}
