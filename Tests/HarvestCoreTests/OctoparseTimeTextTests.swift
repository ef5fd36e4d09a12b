import Foundation
import HarvestCore
import Testing

@Suite struct OctoparseTimeTextTests {
    @Test(arguments: [
        (0.0, UTCOffset.octoparseDefault, "1970-01-01 08:00:00"),
        (1_748_736_000.0, UTCOffset.utc, "2025-06-01 00:00:00"),
        // Midnight in UTC+8 is the previous day in UTC.
        (1_748_707_200.0, UTCOffset.octoparseDefault, "2025-06-01 00:00:00"),
        (1_748_736_000.0, UTCOffset(seconds: -(5 * 3600 + 1800)), "2025-05-31 18:30:00"),
        // Fractions are dropped, never rounded up into the next second.
        (1_748_736_059.999, UTCOffset.utc, "2025-06-01 00:00:59"),
        // Leap day.
        (951_782_400.0, UTCOffset.utc, "2000-02-29 00:00:00"),
    ])
    func writesWholeSecondsInTheAccountZone(seconds: TimeInterval, zone: UTCOffset, text: String) {
        #expect(OctoparseTimeText.format(Date(timeIntervalSince1970: seconds), zone: zone) == text)
    }

    @Test func theTextReadsBackInTheSameZoneAsTheSameInstant() throws {
        let instant = Date(timeIntervalSince1970: 1_790_000_123)
        for zone in [UTCOffset.utc, .octoparseDefault, UTCOffset(seconds: -3 * 3600)] {
            let text = OctoparseTimeText.format(instant, zone: zone)
            #expect(try TimeInput.parse(text, defaultZone: zone) == instant)
        }
    }
}
