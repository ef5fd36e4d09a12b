import Foundation
import HarvestCore
import OctoparseAPI

/// Asks an Octoparse server a few questions by storage time to tell which reading of each open point it
/// follows (docs/ARCHITECTURE.md, "Every plausible reading"), with the deciders the sync uses:
/// ``PageIndexReading/evidence(first:second:pageSize:)``, ``StorageTimeSearch``,
/// ``TotalReading/evidence(rowsRead:total:rowsElsewhere:)`` and ``ZoneSkew``. About 35 small requests.
struct OctoparseReadingProbe {
    let client: OctoparseClient
    let pacer: RequestPacer
    let token: String
    let zone: UTCOffset
    let now: Date

    /// The page size of the `pageindex` probe: small, and at least 2 so that an offset shows.
    static let pageIndexProbeSize = 3

    private var nowSeconds: Int64 { Int64(now.timeIntervalSince1970.rounded(.down)) }

    /// Every storage time a row can have on the configured clock: from before Octoparse stored any row
    /// to past the largest zone difference ahead of now.
    private var span: StorageWindow {
        StorageWindow(from: WindowSizing.distantPast, to: nowSeconds + 15 * 3600)
    }

    /// One by-time page between the raw `from` and `to` parameters.
    private func page(
        _ task: String,
        from: Int64,
        to: Int64,
        index: Int = 1,
        size: Int = 1
    ) async throws(OctoparseError)
        -> OctoparsePage
    {
        await pacer.acquire()
        return try await client.dataByTime(
            taskID: task,
            from: Date(timeIntervalSince1970: TimeInterval(from)),
            to: Date(timeIntervalSince1970: TimeInterval(to)),
            zone: zone,
            pageIndex: index,
            pageSize: size,
            token: token
        )
    }

    /// The readings of `pageindex`, `to`, empty answers and `total` on `task`, which holds `taskRows` rows
    /// (its `/api/alldata` total).
    func readings(task: String, taskRows: Int) async -> ([DoctorCheck], OctoparseReadings) {
        var checks: [DoctorCheck] = []
        var readings = OctoparseReadings()
        do {
            // `pageindex` first: read as an offset, every request below would skip a row.
            let size = Self.pageIndexProbeSize
            let first = try await page(task, from: span.from, to: span.to, index: 1, size: size)
            guard !first.rows.isEmpty else {
                checks.append(
                    DoctorCheck(
                        "octoparse.readings",
                        .warn,
                        "task \(task) has rows, but none by storage time between 2010 and now on the configured "
                            + "clock: the readings were not probed"
                    )
                )
                return (checks, readings)
            }
            let second = try await page(task, from: span.from, to: span.to, index: 2, size: size)
            readings.pageIndex = PageIndexReading.evidence(
                first: first.rowObjects,
                second: second.rowObjects,
                pageSize: size
            )
            checks.append(Self.pageIndexCheck(readings.pageIndex))
            guard readings.pageIndex != .offset else {
                checks.append(
                    DoctorCheck(
                        "octoparse.to",
                        .info,
                        "not probed: with pageindex read as an offset the one-row probes skip a row"
                    )
                )
                return (checks, readings)
            }
            // `to`: the first second with rows, then that second alone.
            let found = try await StorageTimeSearch.toReading(in: span) { from, to in
                try await !page(task, from: from, to: to).rows.isEmpty
            }
            readings.toInclusive = found.inclusive
            checks.append(
                DoctorCheck(
                    "octoparse.to",
                    .info,
                    found.inclusive
                        ? "`to` is inclusive: a window from s to s holds the rows stored at s"
                        : "`to` is exclusive: a window from s to s is empty, the rows stored at s need s+1"
                )
            )
            // The second before the first row: empty under either reading.
            let firstRow = found.firstRowSecond
            guard firstRow > span.from else { return (checks, readings) }
            let before = StorageWindow(from: firstRow - 1, to: firstRow)
            let empty = try await page(task, from: before.from, to: before.toParameter(inclusive: found.inclusive))
            guard empty.rows.isEmpty else {
                checks.append(
                    DoctorCheck("octoparse.readings", .warn, "the task's rows changed while probed: run again")
                )
                return (checks, readings)
            }
            checks.append(
                DoctorCheck(
                    "octoparse.empty_answer",
                    .info,
                    empty.totalIsReported
                        ? #"an answer without rows is an empty page ("data": {"total": …, "dataList": []})"#
                        : #"an answer without rows is "data": null (read as an empty page)"#
                )
            )
            // `total`: of the empty window when the answer reports one, else of the first second's rows.
            let evidence: (TotalReading?, String)
            if empty.totalIsReported {
                evidence = (
                    TotalReading.evidence(rowsRead: 0, total: empty.total, rowsElsewhere: taskRows),
                    "an empty window answered total \(empty.total) while the task holds \(DoctorText.count(taskRows, "row"))"
                )
            } else {
                let second = StorageWindow(from: firstRow, to: firstRow + 1)
                let rows = try await page(
                    task,
                    from: second.from,
                    to: second.toParameter(inclusive: found.inclusive),
                    size: OctoparseClient.pageSizes.upperBound
                )
                let whole = rows.totalIsReported && rows.rows.count < OctoparseClient.pageSizes.upperBound
                evidence = (
                    whole
                        ? TotalReading.evidence(
                            rowsRead: rows.rows.count,
                            total: rows.total,
                            rowsElsewhere: taskRows - rows.rows.count
                        ) : nil,
                    "a one-second window of \(DoctorText.count(rows.rows.count, "row")) answered total \(rows.total) "
                        + "while the task holds \(DoctorText.count(taskRows, "row"))"
                )
            }
            readings.total = evidence.0
            let what: String
            switch evidence.0 {
            case .window?: what = "`total` counts the window"
            case .task?: what = "`total` counts the whole task (as /api/alldata)"
            case nil: what = "what `total` counts cannot be told from this task"
            }
            checks.append(DoctorCheck("octoparse.total", .info, "\(what): \(evidence.1)"))
        } catch {
            checks.append(DoctorCheck("octoparse.readings", .fail, "probing task \(task): \(error)"))
        }
        return (checks, readings)
    }

    static func pageIndexCheck(_ reading: PageIndexReading?) -> DoctorCheck {
        switch reading {
        case .page?:
            DoctorCheck("octoparse.pageindex", .info, "`pageindex` is a page number (as documented)")
        case .offset?:
            DoctorCheck(
                "octoparse.pageindex",
                .warn,
                "`pageindex` is a row offset: by-time paging is refused on this server; register tasks with --mode offset"
            )
        case nil:
            DoctorCheck(
                "octoparse.pageindex",
                .info,
                "how `pageindex` is read cannot be told from this task (too few rows, or identical ones)"
            )
        }
    }

    /// Whether `window` of `task` holds rows; false for a task the server does not know (a registered task
    /// deleted upstream).
    private func holdsRows(
        _ task: String,
        _ window: StorageWindow,
        inclusive: Bool
    ) async throws(OctoparseError)
        -> Bool
    {
        do {
            return try await !page(task, from: window.from, to: window.toParameter(inclusive: inclusive)).rows.isEmpty
        } catch {
            if case .taskNotFound = error { return false }
            throw error
        }
    }

    /// Whether rows are stored more than ``ZoneSkew/threshold`` ahead of now on the configured clock, on
    /// any of `tasks` (one one-row request each): if so, the configured zone is behind the server's.
    func zone(tasks: [String], inclusive: Bool?) async -> DoctorCheck {
        let future = StorageWindow(from: nowSeconds + ZoneSkew.threshold, to: nowSeconds + 14 * 3600)
        let inclusive = inclusive ?? false
        do {
            for task in tasks {
                guard try await holdsRows(task, future, inclusive: inclusive) else { continue }
                let latest = try await StorageTimeSearch.latestRowTime(in: future) { tail in
                    try await holdsRows(task, tail, inclusive: inclusive)
                }
                if let latest, let skew = ZoneSkew.fromFutureRows(ahead: latest - nowSeconds) {
                    return DoctorCheck("octoparse.timezone", .warn, "task \(task): " + skew.message(configured: zone))
                }
            }
        } catch {
            return DoctorCheck("octoparse.timezone", .fail, "probing for rows stored ahead of now: \(error)")
        }
        return DoctorCheck(
            "octoparse.timezone",
            .ok,
            "no row stored more than \(ZoneSkew.threshold / 60) minutes ahead of now on the configured clock "
                + "(OCTOPARSE_TIMEZONE \(zone); \(DoctorText.count(tasks.count, "task")) probed)"
        )
    }
}
