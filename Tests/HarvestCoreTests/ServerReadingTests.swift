import HarvestCore
import Testing

/// The pure decisions behind "every plausible reading": what one window's answers say about the server.
struct ServerReadingTests {
    @Test func aWindowReadWholeTellsWhatTotalCounts() {
        // Fewer rows than `total`: it counts more than the window.
        #expect(TotalReading.evidence(rowsRead: 40, total: 12_000, rowsElsewhere: 0) == .task)
        // An empty window of a task that holds rows elsewhere, and `total` says 12,000: the task.
        #expect(TotalReading.evidence(rowsRead: 0, total: 12_000, rowsElsewhere: 500) == .task)
        // As many as `total` while the task holds others: the window.
        #expect(TotalReading.evidence(rowsRead: 40, total: 40, rowsElsewhere: 500) == .window)
        #expect(TotalReading.evidence(rowsRead: 0, total: 0, rowsElsewhere: 500) == .window)
        // As many as `total` and nothing elsewhere: both readings say so.
        #expect(TotalReading.evidence(rowsRead: 40, total: 40, rowsElsewhere: 0) == nil)
        #expect(TotalReading.evidence(rowsRead: 0, total: 0, rowsElsewhere: 0) == nil)
    }

    @Test func totalBoundsThePagesUnderEitherReading() {
        #expect(TotalReading.pagesAtMost(total: 0, pageSize: 1_000) == 1)
        #expect(TotalReading.pagesAtMost(total: 1_000, pageSize: 1_000) == 1)
        #expect(TotalReading.pagesAtMost(total: 1_001, pageSize: 1_000) == 2)
        #expect(TotalReading.pagesAtMost(total: -3, pageSize: 1_000) == 1)
    }

    private func rows(_ values: [String]) -> [[String: String]] { values.map { ["v": $0] } }

    @Test func aShortFirstPageTellsAPageNumberFromARowOffset() {
        let window = ["a", "b", "c", "d"]
        // Page number: page 2 of four-row pages is empty.
        #expect(PageIndexReading.evidence(first: rows(window), second: [], pageSize: 1_000) == .page)
        // 1-based offset: index 2 starts at the second row.
        #expect(
            PageIndexReading.evidence(first: rows(window), second: rows(["b", "c", "d"]), pageSize: 1_000) == .offset
        )
        // 0-based offset: index 1 already skipped the first row, index 2 skips two.
        #expect(
            PageIndexReading.evidence(first: rows(["b", "c", "d"]), second: rows(["c", "d"]), pageSize: 1_000)
                == .offset
        )
        // Identical rows still tell, by count: a page number leaves page 2 empty.
        #expect(
            PageIndexReading.evidence(first: rows(["x", "x", "x"]), second: rows(["x", "x"]), pageSize: 1_000)
                == .offset
        )
        // Page 2 holds rows unrelated to page 1: the window changed between the two calls.
        #expect(PageIndexReading.evidence(first: rows(window), second: rows(["z"]), pageSize: 1_000) == nil)
        // One row cannot tell.
        #expect(PageIndexReading.evidence(first: rows(["a"]), second: [], pageSize: 1_000) == nil)
    }

    @Test func aFullFirstPageTellsByItsContent() {
        let first = rows(["a", "b", "c"])
        #expect(PageIndexReading.evidence(first: first, second: rows(["d", "e", "f"]), pageSize: 3) == .page)
        #expect(PageIndexReading.evidence(first: first, second: rows(["b", "c", "d"]), pageSize: 3) == .offset)
        // The window ends with page 1: read as an offset, page 2 would repeat two of its rows.
        #expect(PageIndexReading.evidence(first: first, second: [], pageSize: 3) == .page)
        // A full page of identical rows repeats under either reading.
        #expect(
            PageIndexReading.evidence(first: rows(["x", "x", "x"]), second: rows(["x", "x", "x"]), pageSize: 3) == nil
        )
    }

    @Test func readingsDescribeThemselves() {
        #expect(
            OctoparseReadings().descriptions == [
                "`to` is not known yet", "`total` is not known yet", "`pageindex` is not known yet",
            ]
        )
        let known = OctoparseReadings(toInclusive: false, total: .task, pageIndex: .page)
        #expect(
            known.descriptions == [
                "`to` is exclusive", "`total` counts the whole task", "`pageindex` is a page number",
            ]
        )
    }
}
