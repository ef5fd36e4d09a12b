import Foundation

/// The `from`/`to` text of Octoparse's storage-time calls: `yyyy-MM-dd HH:mm:ss` in the account's zone,
/// without the zone (the API reads it in its own, undocumented zone; see PROTOCOL.md).
///
/// Pure arithmetic on a fixed offset, so the machine's time zone never leaks into a request.
public enum OctoparseTimeText {
    /// `date` as the API reads it in `zone`; fractions of a second are dropped (storage times are whole
    /// seconds, so a window should start and end on whole seconds).
    ///
    /// ```swift
    /// OctoparseTimeText.format(Date(timeIntervalSince1970: 0), zone: .octoparseDefault)
    /// // "1970-01-01 08:00:00"
    /// ```
    public static func format(_ date: Date, zone: UTCOffset) -> String {
        let shifted = date.addingTimeInterval(TimeInterval(zone.seconds))
        let iso = UTCTime.format(shifted)  // YYYY-MM-DDTHH:MM:SS.sssZ
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(8))
    }
}
