import HarvestCore
import Testing

@Suite struct WindowSizingTests {
    let sizing = WindowSizing()

    @Test func theToParameterFollowsTheAPIsReading() {
        let window = StorageWindow(from: 100, to: 160)
        #expect(window.toParameter(inclusive: true) == 159)
        #expect(window.toParameter(inclusive: false) == 160)
    }

    @Test func windowsNeverPassTheHorizon() {
        #expect(sizing.window(from: 100, length: 50, horizon: 120) == StorageWindow(from: 100, to: 120))
        #expect(sizing.window(from: 100, length: 5, horizon: 120) == StorageWindow(from: 100, to: 105))
        #expect(sizing.window(from: 120, length: 5, horizon: 120) == nil)
    }

    @Test func aCrowdedWindowShrinksByAtLeastHalf() {
        // Uniform density: straight to the size that holds the target.
        #expect(sizing.shrunk(length: 1_000, rows: 50_000) == 100)
        // Barely over the limit: still halved, so a burst after an empty stretch is found by bisection.
        #expect(sizing.shrunk(length: 1_000, rows: 10_001) == 499)
        #expect(sizing.shrunk(length: 1, rows: 1_000_000) == 1)
        #expect(sizing.accepts(rows: 1_000_000, length: 1))
        #expect(!sizing.accepts(rows: 10_001, length: 2))
    }

    @Test func theNextWindowIsSizedFromTheDensitySeen() {
        #expect(sizing.next(after: 100, rows: 1_000) == 500)
        #expect(sizing.next(after: 100, rows: 0) == 800)
        #expect(sizing.next(after: 100, rows: 1) == 800)
        #expect(sizing.next(after: 100, rows: 1_000_000) == 1)
        #expect(sizing.next(after: Int64.max / 4, rows: 0) > 0)
    }

    @Test func startingFromTheDistantPastCostsAFewWindows() {
        // 30 days of 1,000,000 rows after 15 empty years: count the requests the sizing makes.
        let dataStart: Int64 = 1_748_736_000
        let dataEnd = dataStart + 30 * 86_400
        func rows(_ window: StorageWindow) -> Int {
            let overlap = max(0, min(window.to, dataEnd) - max(window.from, dataStart))
            return Int(Double(overlap) / Double(dataEnd - dataStart) * 1_000_000)
        }
        var cursor = WindowSizing.distantPast
        var planner = WindowPlanner(sizing: sizing)
        var searches = 0
        var pages = 0
        while let window = planner.window(from: cursor, horizon: dataEnd + 3_600) {
            let count = rows(window)
            if !sizing.accepts(rows: count, length: window.length) {
                searches += 1
                planner.refused(window, rows: count)
                continue
            }
            if count == 0 { searches += 1 } else { pages += (count + 999) / 1_000 }
            cursor = window.to
            planner.accepted(window, rows: count)
        }
        // Refused and empty windows are the price of not knowing where the rows start.
        #expect(searches < 40, "\(searches) requests searching")
        // Windows sized near a whole number of pages waste little on partial last pages.
        #expect(pages <= 1_050, "\(pages) pages for 1,000,000 rows")
    }
}
