import Foundation
import HarvestCore
import HarvestStore
import OctoparseAPI

/// One sync of a task by storage time (DESIGN.md, "Octoparse storage-time paging"): windows from the
/// cursor up to the horizon (now minus the safety lag), each recorded with its boundaries and read whole,
/// then the recent windows re-checked for rows committed late.
///
/// Nothing here rests on one reading of what the documents leave open (docs/ARCHITECTURE.md, "Every
/// plausible reading"): a window is read until a short or empty page whatever `total` says; `total` sizes
/// windows only once the account's server is known to count the window, and otherwise a one-row probe
/// past the largest window tells whether a window is too big; `pageindex` is checked to be a page number
/// before any window of several rows is stored.
struct ByTimeSync {
    let context: TaskSyncContext

    private var database: HarvestDatabase { context.database }
    private var reader: OctoparseReader { context.reader }
    private var id: TaskID { context.id }
    private var sizing: WindowSizing { context.configuration.sizing }

    /// Returns whether the cursor reached the horizon.
    func run() async throws -> Bool {
        let now = context.now()
        let horizon = Int64((now.timeIntervalSince1970 - context.configuration.safetyLag.seconds).rounded(.down))
        var readings = try learnedReadings()
        var cursor = Self.seconds(context.task.cursor ?? context.task.startFrom) ?? WindowSizing.distantPast
        var planner = WindowPlanner(sizing: sizing, length: context.task.windowLength)

        if let open = try database.openWindow(taskID: id) {
            // A sync interrupted mid-window: read it again with its recorded boundaries.
            try await learnToReading(&readings, for: open.window)
            let rows = try await read(open, readings: &readings, first: nil, horizon: horizon).rows
            logWindowDone(open, rows: rows)
            planner.accepted(open.window, rows: rows)
            cursor = max(cursor, open.window.to)
        }
        // Before reading on: the windows read before this sync are checked for rows committed late. First,
        // so that a sync that fails half-way has not moved the cursor past windows that still need it.
        try await recheckRecentWindows(readings: &readings, now: now, cursor: cursor, horizon: horizon)
        // The opening of the next window, requested while the last pages of this one commit.
        var ahead: OpeningRequest?
        defer { ahead?.task.cancel() }
        while var window = planner.window(from: cursor, horizon: horizon) {
            try context.checkStop()
            try context.renewLease()
            let opening: WindowOpening
            // A window opened ahead is taken as planned: without a `total` that counts the window, it was
            // planned from the rows the last one was expected to hold, and window sizes are a heuristic.
            if let request = ahead, request.window.from == window.from, request.readings == readings {
                window = request.window
                opening = try await request.task.value
            } else {
                ahead?.task.cancel()
                opening = try await Self.opening(
                    of: window,
                    readings: readings,
                    expectFull: (planner.expectedRows(in: window) ?? 0) >= context.pageSize,
                    context: context
                )
            }
            ahead = nil
            if let rows = opening.crowdedRows {
                planner.refused(window, rows: rows)
                continue
            }
            if readings.toInclusive == nil, !opening.first.rows.isEmpty {
                // Learned now, the window is planned again and opened with the reading.
                try await learnToReading(&readings, for: window)
                continue
            }
            if readings.pageIndex == nil, opening.first.rows.count >= 2 {
                guard try await learnPageIndexReading(&readings, first: opening.first, window: window) else {
                    // Nothing could be told from this window (its first page is a thousand identical rows):
                    // a smaller one will tell.
                    if window.length > 1 {
                        planner.refused(window, rows: sizing.maximumRows + 1)
                        continue
                    }
                    context.logger.warning(
                        "cannot tell how Octoparse reads pageindex; reading it as a page number",
                        metadata: ["task": "\(id)"]
                    )
                    readings.pageIndex = .page
                    continue
                }
            }
            let record = try database.recordWindow(taskID: id, window: window, now: context.now())
            let planned = readings
            let read = try await read(
                record,
                readings: &readings,
                first: opening.first,
                horizon: horizon,
                expectedRows: planner.expectedRows(in: window)
            ) { [window] rows in
                var next = planner
                next.accepted(window, rows: rows)
                return next.window(from: window.to, horizon: horizon).map {
                    Upcoming(
                        window: $0,
                        readings: planned,
                        expectFull: (next.expectedRows(in: $0) ?? 0) >= context.pageSize
                    )
                }
            }
            ahead = read.ahead
            logWindowDone(record, rows: read.rows)
            planner.accepted(window, rows: read.rows)
            cursor = window.to
        }
        ahead?.task.cancel()
        ahead = nil
        return cursor >= horizon
    }

    // MARK: Opening a window

    /// A window's first page and what it says about the window's size.
    struct WindowOpening: Sendable {
        var first: OctoparsePage
        /// Set when the window holds more rows than a window may: how many, as far as is known.
        var crowdedRows: Int?
    }

    /// The window after the one being read, as planned from that one's rows.
    struct Upcoming {
        let window: StorageWindow
        let readings: OctoparseReadings
        /// Whether its first page is expected to be full (its probe is then requested beside it).
        let expectFull: Bool
    }

    /// A window's opening requested ahead, with the readings it was requested under.
    struct OpeningRequest {
        let window: StorageWindow
        let readings: OctoparseReadings
        let task: Task<WindowOpening, any Error>
    }

    /// The first page of `window` and whether the window is too big to take at once: from `total` when the
    /// server is known to count the window, otherwise from a one-row probe just past the largest window
    /// (only when the first page is full: a short one is the whole window). When the first page is
    /// expected to be full, the probe is requested beside it rather than after it.
    static func opening(
        of window: StorageWindow,
        readings: OctoparseReadings,
        expectFull: Bool,
        context: TaskSyncContext
    ) async throws -> WindowOpening {
        let sizing = context.configuration.sizing
        let inclusive = readings.toInclusive ?? false
        let counted = readings.total == .window
        func probe() async throws -> Bool {
            let page = try await context.reader.page(
                task: context.id,
                window: window,
                inclusive: inclusive,
                pageIndex: sizing.maximumRows + 1,
                pageSize: 1
            )
            return !page.rows.isEmpty
        }
        let early = !counted && expectFull && window.length > 1 ? Task { try await probe() } : nil
        defer { early?.cancel() }
        var first = try await context.reader.page(
            task: context.id,
            window: window,
            inclusive: inclusive,
            pageIndex: 1,
            pageSize: context.pageSize
        )
        first.encodeRows()
        if counted {
            let crowded = !sizing.accepts(rows: first.total, length: window.length)
            return WindowOpening(first: first, crowdedRows: crowded ? first.total : nil)
        }
        guard first.rows.count >= context.pageSize, window.length > 1 else {
            return WindowOpening(first: first, crowdedRows: nil)
        }
        let crowded: Bool
        if let early { crowded = try await early.value } else { crowded = try await probe() }
        return WindowOpening(first: first, crowdedRows: crowded ? sizing.maximumRows + 1 : nil)
    }

    private func requestOpening(of upcoming: Upcoming) -> OpeningRequest {
        let context = context
        let task = Task {
            try await Self.opening(
                of: upcoming.window,
                readings: upcoming.readings,
                expectFull: upcoming.expectFull,
                context: context
            )
        }
        return OpeningRequest(window: upcoming.window, readings: upcoming.readings, task: task)
    }

    // MARK: Reading a window

    /// Reads a recorded window whole: every page until a short or empty one (or as many as `total` allows
    /// under either reading), each committed with the window's progress. A page whose `total` differs from
    /// the first's means the window may have changed while it was read (rows would shift between pages):
    /// that page is dropped and the pass starts over, and the row keys make the pages already stored
    /// harmless. When `total` counts the whole task, it changes with any new row of the task, so after two
    /// such passes the window is read twice and stored only where both reads agree.
    ///
    /// Up to `pagesAhead` pages are requested while a page commits; once the window's last page is known,
    /// the opening of the window `upcoming` names (given this window's rows) is requested too, and handed
    /// back as `ahead`.
    private func read(
        _ record: WindowRecord,
        readings: inout OctoparseReadings,
        first: OctoparsePage?,
        horizon: Int64,
        expectedRows: Int? = nil,
        upcoming: (Int) -> Upcoming? = { _ in nil }
    ) async throws -> (rows: Int, ahead: OpeningRequest?) {
        let window = record.window
        let pageSize = context.pageSize
        let depth = max(1, context.configuration.pagesAhead)
        let inclusive = readings.toInclusive ?? false
        var first = first
        for pass in 0..<5 {
            if pass >= 2, readings.total != .window {
                return (try await readTwice(record, inclusive: inclusive, horizon: horizon), nil)
            }
            var opening: OctoparsePage
            if let first {
                opening = first
            } else {
                opening = try await reader.page(
                    task: id,
                    window: window,
                    inclusive: inclusive,
                    pageIndex: 1,
                    pageSize: pageSize
                )
            }
            first = nil
            if readings.pageIndex == nil, opening.rows.count >= 2 {
                // A window recorded before the reading was known (its first page grew since): the same
                // check as before recording, and another pass when it cannot tell.
                guard try await learnPageIndexReading(&readings, first: opening, window: window) else { continue }
            }
            let bound = TotalReading.pagesAtMost(total: opening.total, pageSize: pageSize)
            let counted = readings.total == .window
            var keys = WindowRowKeys()
            var requested = 1
            var inflight: [PageRequest] = []
            var ahead: OpeningRequest?
            defer {
                for request in inflight { request.task.cancel() }
                ahead?.task.cancel()
            }
            // Without a `total` that counts the window, its last page is guessed from the rows expected.
            let expectedLast = expectedRows.map { $0 / pageSize + 1 }
            func requestAhead(lastKnown rows: Int?) {
                if let rows {
                    if ahead == nil, let next = upcoming(rows) { ahead = requestOpening(of: next) }
                    return
                }
                // Without a `total` that counts the window, pages are requested ahead up to the last one
                // expected, and past it one at a time (a page requested past the end is a request spent).
                let limit = counted ? bound : min(bound, expectedLast ?? bound)
                while inflight.count < depth, requested < limit || (!counted && inflight.isEmpty) {
                    requested += 1
                    inflight.append(request(window, inclusive: inclusive, pageIndex: requested))
                }
                // Counted by `total`, the last page is known as soon as it is requested; otherwise it is
                // expected there.
                if counted, requested == bound, inflight.count < depth, ahead == nil,
                    let next = upcoming(opening.total)
                {
                    ahead = requestOpening(of: next)
                } else if !counted, let expectedRows, let expectedLast, requested >= expectedLast, ahead == nil,
                    let next = upcoming(expectedRows)
                {
                    ahead = requestOpening(of: next)
                }
            }
            var rows = opening.rows.count
            var last = Self.isLast(opening, index: 1, bound: counted ? bound : nil, pageSize: pageSize)
            requestAhead(lastKnown: last ? rows : nil)
            try store(opening, record, keys: &keys, completes: last, horizon: horizon)
            if !last { Crashpoint.midWindow.hit() }
            var consistent = true
            var index = 2
            while !last {
                guard !inflight.isEmpty else {
                    consistent = false
                    break
                }
                let page = try await inflight.removeFirst().task.value
                // An empty page where `total` promised rows: the window shrank while it was read.
                guard page.total == opening.total, !(counted && page.rows.isEmpty) else {
                    consistent = false
                    break
                }
                last = Self.isLast(page, index: index, bound: counted ? bound : nil, pageSize: pageSize)
                requestAhead(lastKnown: last ? rows + page.rows.count : nil)
                try context.renewLease()
                try store(page, record, keys: &keys, completes: last, horizon: horizon)
                if !last { Crashpoint.midWindow.hit() }
                rows += page.rows.count
                index += 1
            }
            // A `"data": null` answer reports no `total` (the page says 0 for it): nothing to learn from.
            if consistent, opening.totalIsReported {
                try learnTotalReading(&readings, rowsRead: rows, total: opening.total, record: record)
            }
            if consistent {
                defer { ahead = nil }
                return (rows, ahead)
            }
            context.logger.info(
                "task window changed while read; reading it again",
                metadata: ["task": "\(id)", "from": "\(record.fromTime)", "to": "\(record.toTime)"]
            )
        }
        throw OctoparseError.transient("window \(window) of task \(id) kept changing while it was read")
    }

    /// Whether page `index` of a window is its last: a short or empty page, or the last page `bound`
    /// allows when `total` is known to count the window.
    static func isLast(_ page: OctoparsePage, index: Int, bound: Int?, pageSize: Int) -> Bool {
        page.rows.count < pageSize || index >= (bound ?? .max)
    }

    /// Reads a window whose `total` cannot tell whether it changed: one read kept in memory (a window holds
    /// at most ``WindowSizing/maximumRows`` rows, bar a one-second one), then a second one whose pages are
    /// stored only where they equal the first's. A row shifted from one page to the next by a late commit
    /// shows as a difference, and the two reads start over. Returns the rows read.
    private func readTwice(_ record: WindowRecord, inclusive: Bool, horizon: Int64) async throws -> Int {
        let pageSize = context.pageSize
        func readAll() async throws -> [OctoparsePage] {
            var pages: [OctoparsePage] = []
            repeat {
                try context.checkStop()
                pages.append(
                    try await reader.page(
                        task: id,
                        window: record.window,
                        inclusive: inclusive,
                        pageIndex: pages.count + 1,
                        pageSize: pageSize
                    )
                )
            } while pages.last!.rows.count == pageSize
            return pages
        }
        for _ in 0..<5 {
            let reference = try await readAll()
            var keys = WindowRowKeys()
            var rows = 0
            var agreed = true
            for (offset, expected) in reference.enumerated() {
                let page = try await reader.page(
                    task: id,
                    window: record.window,
                    inclusive: inclusive,
                    pageIndex: offset + 1,
                    pageSize: pageSize
                )
                guard page.sameRows(as: expected) else {
                    agreed = false
                    break
                }
                try context.renewLease()
                try store(page, record, keys: &keys, completes: offset == reference.count - 1, horizon: horizon)
                rows += page.rows.count
            }
            if agreed { return rows }
            context.logger.info(
                "task window changed between two reads; reading it again",
                metadata: ["task": "\(id)", "from": "\(record.fromTime)", "to": "\(record.toTime)"]
            )
        }
        throw OctoparseError.transient("window \(record.window) of task \(id) kept changing while it was read")
    }

    /// `task window done`: at info when the window held rows, at debug when it was empty (a caught-up
    /// task reads an empty window on every sync).
    private func logWindowDone(_ record: WindowRecord, rows: Int) {
        context.logger.log(
            level: rows > 0 ? .info : .debug,
            "task window done",
            metadata: ["task": "\(id)", "from": "\(record.fromTime)", "to": "\(record.toTime)", "rows": "\(rows)"]
        )
    }

    /// A page requested ahead of the one being committed.
    struct PageRequest {
        let task: Task<OctoparsePage, any Error>
    }

    private func request(_ window: StorageWindow, inclusive: Bool, pageIndex: Int) -> PageRequest {
        let reader = reader
        let id = id
        let pageSize = context.pageSize
        let task = Task {
            var page = try await reader.page(
                task: id,
                window: window,
                inclusive: inclusive,
                pageIndex: pageIndex,
                pageSize: pageSize
            )
            page.encodeRows()
            return page
        }
        return PageRequest(task: task)
    }

    private func store(
        _ page: OctoparsePage,
        _ record: WindowRecord,
        keys: inout WindowRowKeys,
        completes: Bool,
        horizon: Int64
    ) throws {
        Crashpoint.afterPageBeforeCommit.hit()
        let inserted = try database.storeWindowPage(
            taskID: id,
            windowID: record.id,
            page: page,
            keys: &keys,
            completes: completes,
            caughtUp: record.window.to >= horizon,
            now: context.now()
        )
        context.recordStored(rows: inserted, position: "\(record.fromTime) … \(record.toTime)")
    }

    // MARK: Learning the server's readings

    private var account: OctoparseAccount { reader.client.account }

    private func learnedReadings() throws -> OctoparseReadings {
        try database.octoparseReadings(baseURL: account.baseURL, username: account.username)
    }

    /// Records a change of `readings` and logs it.
    private func remember(_ readings: OctoparseReadings, changed: String) throws {
        try database.recordOctoparseReadings(
            readings,
            baseURL: account.baseURL,
            username: account.username,
            now: context.now()
        )
        context.logger.notice(
            "learned how Octoparse answers",
            metadata: ["task": "\(id)", "account": "\(account)", "reading": "\(changed)"]
        )
    }

    /// Learns whether the API's `to` is inclusive, unless known, from a window that holds rows (an empty
    /// window is empty under either reading).
    private func learnToReading(_ readings: inout OctoparseReadings, for window: StorageWindow) async throws {
        guard readings.toInclusive == nil else { return }
        let probe = try await reader.page(task: id, window: window, inclusive: false, pageIndex: 1, pageSize: 1)
        guard !probe.rows.isEmpty else { return }
        readings.toInclusive = try await detectToReading(in: window)
        try remember(readings, changed: readings.descriptions[0])
    }

    /// Whether the API's `to` is inclusive, from a window known to hold rows (``StorageTimeSearch``):
    /// about log2(window length) one-row requests, once per account.
    private func detectToReading(in window: StorageWindow) async throws -> Bool {
        try await StorageTimeSearch.toReading(in: window) { from, to in
            try await !reader.page(task: id, from: from, to: to, pageIndex: 1, pageSize: 1).rows.isEmpty
        }.inclusive
    }

    /// Checks that `pageindex` is a page number before a window of several rows is stored: `pageindex=2`
    /// with the page size that makes the first page short (or the full page size) must not repeat the
    /// first page shifted by a row. A row-offset server is refused in one line. Returns false when the
    /// answers could not tell.
    private func learnPageIndexReading(
        _ readings: inout OctoparseReadings,
        first: OctoparsePage,
        window: StorageWindow
    ) async throws -> Bool {
        let pageSize = context.pageSize
        let size = first.rows.count < pageSize ? first.rows.count : pageSize
        let second = try await reader.page(
            task: id,
            window: window,
            inclusive: readings.toInclusive ?? false,
            pageIndex: 2,
            pageSize: size
        )
        guard
            let learned = PageIndexReading.evidence(
                first: first.rowObjects,
                second: second.rowObjects,
                pageSize: pageSize
            )
        else { return false }
        readings.pageIndex = learned
        try remember(readings, changed: readings.descriptions[2])
        if learned == .offset { throw Self.offsetServer }
        return true
    }

    /// The one line a task gets when its account's server reads `pageindex` as a row offset.
    static let offsetServer = OctoparseError.rejected(
        code: "pageindex_offset",
        message: "this server reads pageindex as a row offset, not as the page number the documentation says; "
            + "by-time paging would store rows several times, so it stops here: register the task with "
            + "--mode offset instead"
    )

    /// Learns what `total` counts from a window read whole in one consistent pass, and remembers it when it
    /// changed (a wrong reading is unlearned by the next window that contradicts it).
    private func learnTotalReading(
        _ readings: inout OctoparseReadings,
        rowsRead: Int,
        total: Int,
        record: WindowRecord
    ) throws {
        let elsewhere = try database.rowsStoredOutside(window: record.id, taskID: id)
        guard
            let learned = TotalReading.evidence(rowsRead: rowsRead, total: total, rowsElsewhere: elsewhere),
            learned != readings.total
        else { return }
        readings.total = learned
        try remember(readings, changed: readings.descriptions[1])
    }

    // MARK: Late rows and the zone

    /// Complete windows that ended within the look-back period before the cursor, and whatever the
    /// look-back within ``ZoneSkew/guardPeriod`` of it (a wrong `OCTOPARSE_TIMEZONE` hides rows that long),
    /// are checked for rows committed late, a run of adjacent windows with one request: by `total` when the
    /// server counts the window, otherwise by asking for the row just past those stored. A run that grew is
    /// halved until the windows that grew are found, and each is read again whole, storing only its new
    /// rows. Then rows stored "in the future" of the configured clock are looked for.
    ///
    /// The period is counted back from the cursor, not from now: after an outage longer than the look-back
    /// (the service stopped, or every process waiting on a dead one's lease), the windows read just before
    /// it still get their late rows. Counted from now, they had ended too long ago to be checked, and their
    /// late rows were never read (found by `make chaos`).
    private func recheckRecentWindows(
        readings: inout OctoparseReadings,
        now: Date,
        cursor: Int64,
        horizon: Int64
    ) async throws {
        let period = max(context.configuration.lookBack.seconds, Double(ZoneSkew.guardPeriod))
        let since = Date(timeIntervalSince1970: TimeInterval(min(cursor, horizon))).addingTimeInterval(-period)
        // Checked at most a dozen times over the look-back period.
        let checkedRecently = UTCTime.format(now.addingTimeInterval(-context.configuration.lookBack.seconds / 12))
        let due = try database.windowsDueForRecheck(taskID: id, endingAfter: since, checkedBefore: checkedRecently)
        guard !due.isEmpty else { return }
        for run in Self.adjacentRuns(due) {
            try await recheck(run, readings: &readings, now: now, horizon: horizon)
        }
        try await lookForFutureRows(inclusive: readings.toInclusive ?? false, now: now)
    }

    /// `windows` split where one does not end where the next starts.
    static func adjacentRuns(_ windows: [WindowRecord]) -> [ArraySlice<WindowRecord>] {
        var runs: [ArraySlice<WindowRecord>] = []
        var start = windows.startIndex
        for index in windows.indices.dropFirst() where windows[index - 1].window.to != windows[index].window.from {
            runs.append(windows[start..<index])
            start = index
        }
        if start < windows.endIndex { runs.append(windows[start...]) }
        return runs
    }

    /// Checks a run of adjacent windows with one request, and halves a run that grew.
    private func recheck(
        _ run: ArraySlice<WindowRecord>,
        readings: inout OctoparseReadings,
        now: Date,
        horizon: Int64
    ) async throws {
        guard let first = run.first, let last = run.last else { return }
        // Unknown, `to` does not matter yet: every window read so far was empty.
        let inclusive = readings.toInclusive ?? false
        try context.checkStop()
        let stored = run.reduce(0) { $0 + $1.rowsStored }
        let span = StorageWindow(from: first.window.from, to: last.window.to)
        let counted = readings.total == .window
        let probe = try await reader.page(
            task: id,
            window: span,
            inclusive: inclusive,
            pageIndex: counted ? 1 : stored + 1,
            pageSize: 1
        )
        guard counted ? probe.total > stored : !probe.rows.isEmpty else {
            try database.markWindowsChecked(ids: run.map(\.id), now: context.now())
            return
        }
        guard run.count == 1 else {
            let middle = run.startIndex + run.count / 2
            try await recheck(run[..<middle], readings: &readings, now: now, horizon: horizon)
            try await recheck(run[middle...], readings: &readings, now: now, horizon: horizon)
            return
        }
        context.logger.info(
            "rows committed late; reading the window again",
            metadata: [
                "task": "\(id)", "from": "\(first.fromTime)", "to": "\(first.toTime)", "stored": "\(first.rowsStored)",
            ]
        )
        // Rows that appear long after their storage time say the zone is wrong (or the server is very late).
        let nowSeconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let latest =
            nowSeconds - first.window.from >= ZoneSkew.threshold
            ? try await latestRowTime(in: first.window, inclusive: inclusive) : nil
        // Reported before the window is read: with the zone that far off, the window may be in the server's
        // present and keep changing while rows arrive, and the read fail until it closes.
        if let latest, let skew = ZoneSkew.fromLateRows(delay: nowSeconds - latest) {
            try report(skew)
        }
        try await learnToReading(&readings, for: first.window)
        _ = try await read(first, readings: &readings, first: nil, horizon: horizon)
    }

    /// Asks whether rows are stored more than ``ZoneSkew/threshold`` past now on the configured clock, up to
    /// the largest zone difference: if so, the configured zone is behind the server's.
    private func lookForFutureRows(inclusive: Bool, now: Date) async throws {
        let nowSeconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let future = StorageWindow(from: nowSeconds + ZoneSkew.threshold, to: nowSeconds + 14 * 3600 + 60)
        let probe = try await reader.page(task: id, window: future, inclusive: inclusive, pageIndex: 1, pageSize: 1)
        guard !probe.rows.isEmpty, let latest = try await latestRowTime(in: future, inclusive: inclusive),
            let skew = ZoneSkew.fromFutureRows(ahead: latest - nowSeconds)
        else { return }
        try report(skew)
    }

    /// The storage time of the latest row in `window` (``StorageTimeSearch``); nil when it holds none.
    private func latestRowTime(in window: StorageWindow, inclusive: Bool) async throws -> Int64? {
        try await StorageTimeSearch.latestRowTime(in: window) { tail in
            let page = try await reader.page(task: id, window: tail, inclusive: inclusive, pageIndex: 1, pageSize: 1)
            return !page.rows.isEmpty
        }
    }

    /// Logs and records a sign that the configured zone is not the server's.
    private func report(_ skew: ZoneSkew) throws {
        let message = skew.message(configured: context.configuration.zone)
        context.logger.warning(
            "Octoparse storage times do not look like OCTOPARSE_TIMEZONE",
            metadata: ["task": "\(id)", "account": "\(account)", "detail": "\(message)"]
        )
        try database.recordZoneSkew(
            skew,
            message: message,
            baseURL: account.baseURL,
            username: account.username,
            now: context.now()
        )
    }
}

extension ByTimeSync {
    static func seconds(_ text: String?) -> Int64? {
        text.flatMap(UTCTime.parse).map { Int64($0.timeIntervalSince1970.rounded(.down)) }
    }
}
