import Foundation
import HarvestCore
import Testing

@Suite struct TimeTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (951_782_400.0, "2000-02-29T00:00:00.000Z"),
        (1_798_761_599.999, "2026-12-31T23:59:59.999Z"),
        (-1.0, "1969-12-31T23:59:59.000Z"),
        (4_107_542_400.5, "2100-03-01T00:00:00.500Z"),
    ])
    func formatsFixedWidthUTC(seconds: TimeInterval, text: String) {
        #expect(UTCTime.format(Date(timeIntervalSince1970: seconds)) == text)
        #expect(UTCTime.parse(text).map { UTCTime.format($0) } == text)
    }

    @Test func textOrderIsTimeOrder() {
        let instants: [TimeInterval] = [-86_400 * 400, -1, 0, 0.001, 9, 10, 99_999, 1_700_000_000, 4_000_000_000]
        let texts = instants.map { UTCTime.format(Date(timeIntervalSince1970: $0)) }
        #expect(texts == texts.sorted())
        #expect(Set(texts.map(\.count)).count == 1)
    }

    @Test func plainTimesAreReadInTheAccountZoneNotTheMachines() throws {
        let date = try TimeInput.parse("2026-01-31 08:00:00", defaultZone: .octoparseDefault)
        #expect(UTCTime.format(date) == "2026-01-31T00:00:00.000Z")
        let dayOnly = try TimeInput.parse("2026-02-01", defaultZone: .octoparseDefault)
        #expect(UTCTime.format(dayOnly) == "2026-01-31T16:00:00.000Z")
    }

    @Test(arguments: [
        ("2026-01-31T12:00:00Z", "2026-01-31T12:00:00.000Z"),
        ("2026-01-31T12:00:00.25+02:00", "2026-01-31T10:00:00.250Z"),
        ("2026-01-31T00:30:00-05:30", "2026-01-31T06:00:00.000Z"),
        ("2026-01-31 12:00:00+0800", "2026-01-31T04:00:00.000Z"),
    ])
    func explicitZonesWin(text: String, utc: String) throws {
        #expect(UTCTime.format(try TimeInput.parse(text, defaultZone: .octoparseDefault)) == utc)
    }

    @Test(arguments: [
        "", "yesterday", "2026-02-30", "2026-13-01", "2026-01-31T25:00:00Z", "2026-01-31 12:00",
        "2026-01-31T12:00:00+99:00", "2026-01-31T12:00:00 junk", "2026/01/31",
    ])
    func rejectsBadTimes(text: String) {
        #expect {
            try TimeInput.parse(text, defaultZone: .utc)
        } throws: { error in
            (error as? InputError)?.message.hasPrefix("bad time \"\(text)\"") == true
        }
    }

    @Test func offsets() throws {
        #expect(try UTCOffset(parsing: "+08:00").seconds == 28_800)
        #expect(try UTCOffset(parsing: "-05:30").seconds == -19_800)
        #expect(try UTCOffset(parsing: "UTC") == .utc)
        #expect(try UTCOffset(parsing: "+0545").description == "+05:45")
        #expect(throws: InputError.self) { try UTCOffset(parsing: "Asia/Shanghai") }
        #expect(throws: InputError.self) { try UTCOffset(parsing: "+8") }
    }

    @Test func intervals() throws {
        #expect(try IntervalInput.seconds("90", flag: "--every") == 90)
        #expect(try IntervalInput.seconds("5m", flag: "--every") == 300)
        #expect(try IntervalInput.seconds("2h", flag: "--every") == 7200)
        #expect(try IntervalInput.seconds("1d", flag: "--every") == 86_400)
        for bad in ["", "0s", "-5m", "5x", "m", "999999999999d", "1.5h"] {
            #expect(throws: InputError.self, "\(bad)") { try IntervalInput.seconds(bad, flag: "--every") }
        }
    }
}
