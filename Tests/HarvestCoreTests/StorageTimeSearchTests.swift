import Foundation
import HarvestCore
import Testing

/// The bisections the by-time sync and `harvest doctor` share, against a server faked as a set of
/// storage seconds under each reading of `to`.
struct StorageTimeSearchTests {
    /// A server whose rows are stored at `seconds`, reading `to` as inclusive or not; counts requests.
    final class FakeServer: @unchecked Sendable {
        let seconds: [Int64]
        let inclusive: Bool
        var requests = 0

        init(_ seconds: [Int64], inclusive: Bool) {
            self.seconds = seconds
            self.inclusive = inclusive
        }

        func holdsRows(_ from: Int64, _ to: Int64) -> Bool {
            requests += 1
            return seconds.contains { $0 >= from && (inclusive ? $0 <= to : $0 < to) }
        }

        func holdsRows(_ window: StorageWindow) -> Bool {
            holdsRows(window.from, window.toParameter(inclusive: inclusive))
        }
    }

    @Test(arguments: [true, false], [Int64(1_000), 1_001, 1_500, 4_095])
    func findsTheReadingOfToAndTheFirstSecondWithRows(inclusive: Bool, first: Int64) async {
        let server = FakeServer([first, first, first + 7, 3_000_000], inclusive: inclusive)
        let window = StorageWindow(from: 1_000, to: 5_000_000)
        let found = await StorageTimeSearch.toReading(in: window) { from, to in server.holdsRows(from, to) }
        #expect(found.inclusive == inclusive)
        #expect(found.firstRowSecond == first)
        // About log2 of the window's length.
        #expect(server.requests <= 25)
    }

    @Test(arguments: [true, false])
    func findsTheLatestRowOfAWindow(inclusive: Bool) async {
        let server = FakeServer([10, 500, 4_321, 9_999, 20_000], inclusive: inclusive)
        let latest = await StorageTimeSearch.latestRowTime(in: StorageWindow(from: 0, to: 10_000)) {
            server.holdsRows($0)
        }
        #expect(latest == 9_999)
        let none = await StorageTimeSearch.latestRowTime(in: StorageWindow(from: 10_000, to: 19_999)) {
            server.holdsRows($0)
        }
        #expect(none == nil)
    }
}
