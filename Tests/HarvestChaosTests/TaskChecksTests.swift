import HarvestChaos
import Testing

/// What the task checks see as broken: rows lost or doubled, and bookkeeping that disagrees with the rows.
struct TaskChecksTests {
    private static let row = RowMultiset.canonical(["city": "Oslo", "high": "51F"])
    private static let twin = RowMultiset.canonical(["city": "Oslo", "high": "52F"])

    private struct Fixture {
        var task = ObservedTask(
            id: "t",
            cursor: "2025-06-01T00:00:20.000Z",
            rowsHarvested: 3,
            rows: [TaskChecksTests.row: 2, TaskChecksTests.twin: 1]
        )
        var windows = [
            ObservedWindow(
                id: 1,
                taskID: "t",
                from: "2025-06-01T00:00:00.000Z",
                to: "2025-06-01T00:00:10.000Z",
                rowsStored: 2,
                rowsInTable: 2
            ),
            ObservedWindow(
                id: 2,
                taskID: "t",
                from: "2025-06-01T00:00:10.000Z",
                to: "2025-06-01T00:00:20.000Z",
                rowsStored: 1,
                rowsInTable: 1
            ),
        ]
        var upstream = UpstreamTask(id: "t", kind: "standard", rows: [TaskChecksTests.row: 2, TaskChecksTests.twin: 1])

        var violations: [Violation] {
            TaskChecks.violations(tasks: [task], windows: windows, upstream: [upstream])
        }
    }

    @Test func aTableEqualToUpstreamWithTidyWindowsHasNoViolation() {
        #expect(Fixture().violations == [])
    }

    @Test func tablesAreComparedAsMultisets() {
        // Two identical rows upstream must be two rows here; one is a lost row.
        var lost = Fixture()
        lost.task.rows[TaskChecksTests.row] = 1
        lost.task.rowsHarvested = 2
        #expect(lost.violations.contains { $0.detail.contains("1 missing, 0 extra") })

        var doubled = Fixture()
        doubled.task.rows[TaskChecksTests.twin] = 2
        doubled.task.rowsHarvested = 4
        #expect(doubled.violations.contains { $0.detail.contains("0 missing, 1 extra") })
        #expect(RowMultiset.difference(stored: [:], upstream: [:]) == (0, 0))
    }

    @Test func windowsThatOverlapMiscountOrStayOpenAreViolations() {
        var overlap = Fixture()
        overlap.windows[1].from = "2025-06-01T00:00:09.000Z"
        #expect(overlap.violations.contains { $0.detail.contains("overlaps window 2") })

        var miscounted = Fixture()
        miscounted.windows[0].rowsStored = 3
        #expect(miscounted.violations.contains { $0.detail.contains("recorded 3 rows, the table holds 2") })

        var open = Fixture()
        open.windows[1].state = "planned"
        #expect(open.violations.contains { $0.detail.contains("window 2 is planned") })

        var behind = Fixture()
        behind.task.cursor = "2025-06-01T00:00:10.000Z"
        #expect(behind.violations.contains { $0.detail.contains("cursor 2025-06-01T00:00:10.000Z is before") })

        var stray = Fixture()
        stray.task.rowsOutsideWindows = 1
        #expect(stray.violations.contains { $0.detail.contains("belong to no recorded window") })

        var counter = Fixture()
        counter.task.rowsHarvested = 5
        #expect(counter.violations.contains { $0.detail.contains("rows_harvested says 5") })
    }

    @Test func aFailedOrUnregisteredTaskIsAViolation() {
        var failed = Fixture()
        failed.task.state = "failed"
        #expect(failed.violations.contains { $0.invariant == "task healthy" })
        #expect(
            TaskChecks.violations(tasks: [], windows: [], upstream: [Fixture().upstream]).map(\.invariant)
                == ["task table equals upstream"]
        )
    }
}
