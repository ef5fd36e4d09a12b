import Foundation
import HarvestCore

/// Octoparse's times: whole seconds, written `yyyy-MM-dd HH:mm:ss` in the server's zone, without the zone.
enum OctoparseTime {
    /// `second` (since 1970, UTC) as the server writes it in `zone`.
    static func serverText(_ second: Int64, zone: UTCOffset) -> String {
        let iso = UTCTime.format(Date(timeIntervalSince1970: TimeInterval(second + Int64(zone.seconds))))
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(8))
    }

    /// Reads a `from`/`to` parameter: `yyyy-MM-dd HH:mm:ss` (or a date alone) in `zone`.
    static func parseServerText(_ text: String, zone: UTCOffset) -> Date? {
        try? TimeInput.parse(text.trimmingCharacters(in: .whitespaces), defaultZone: zone)
    }

    /// `duration` in seconds.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
