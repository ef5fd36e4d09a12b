import Foundation

/// A fixed offset from UTC, such as the `+08:00` in which Octoparse reports storage times.
///
/// Deliberately not a named time zone: storage times carry no zone, and a fixed offset cannot be
/// confused with the zone of the machine Harvest runs on.
public struct UTCOffset: Hashable, Sendable, CustomStringConvertible {
    /// Seconds east of UTC.
    public var seconds: Int

    public static let utc = UTCOffset(seconds: 0)
    /// China Standard Time, where Octoparse's servers most likely keep storage times.
    public static let octoparseDefault = UTCOffset(seconds: 8 * 3600)

    public init(seconds: Int) {
        self.seconds = seconds
    }

    /// Reads `+08:00`, `-05:30`, `+0800`, `Z` or `UTC`.
    public init(parsing text: String) throws(InputError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "Z" || trimmed.uppercased() == "UTC" {
            self = .utc
            return
        }
        let scalars = Array(trimmed.utf8)
        let digits = scalars.dropFirst().filter { $0 != UInt8(ascii: ":") }
        guard let sign = scalars.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
            digits.count == 4, digits.allSatisfy({ (48...57).contains($0) }),
            scalars.count == 5 || (scalars.count == 6 && scalars[3] == UInt8(ascii: ":"))
        else {
            throw InputError("bad UTC offset \(text.quotedForMessage): expected +HH:MM, -HH:MM or UTC")
        }
        let value = digits.map { Int($0 - 48) }
        let hours = value[0] * 10 + value[1]
        let minutes = value[2] * 10 + value[3]
        guard hours <= 14, minutes < 60 else {
            throw InputError("bad UTC offset \(text.quotedForMessage): out of range")
        }
        seconds = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
    }

    /// `+08:00` form.
    public var description: String {
        let magnitude = abs(seconds)
        let sign = seconds < 0 ? "-" : "+"
        return "\(sign)\(UTCTime.pad(Int64(magnitude / 3600), 2)):\(UTCTime.pad(Int64(magnitude / 60 % 60), 2))"
    }
}
