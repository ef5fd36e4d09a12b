import Foundation
import HarvestCore
import HarvestStore
import OctoparseAPI

/// One sync of a task by storage time (DESIGN.md, "Octoparse storage-time paging"): windows from the
/// cursor up to the horizon (now minus the safety lag), each recorded with its boundaries and read whole,
/// then the recent windows re-checked for rows committed late.
struct ByTimeSync {
    let context: TaskSyncContext

    private var database: HarvestDatabase { context.database }
    private var reader: OctoparseReader { context.reader }
    private var id: TaskID { context.id }

    /// Returns whether the cursor reached the horizon.
    func run() async throws -> Bool {
        let now = context.now()
        let horizon = Int64((now.timeIntervalSince1970 - context.configuration.safetyLag.seconds).rounded(.down))
        let account = reader.client.account
        var inclusive = try database.windowToInclusive(baseURL: account.baseURL, username: account.username)
        var cursor = Self.seconds(context.task.cursor ?? context.task.startFrom) ?? WindowSizing.distantPast
        var planner = WindowPlanner(sizing: context.configuration.sizing, length: context.task.windowLength)

        if let open = try database.openWindow(taskID: id) {
            // A sync interrupted mid-window: read it again with its recorded boundaries.
            let reading = try await reading(inclusive, for: open.window)
            inclusive = reading
            let total = try await read(open, inclusive: reading ?? false, first: nil, horizon: horizon).total
            logWindowDone(open, rows: total)
            planner.accepted(open.window, rows: total)
            cursor = max(cursor, open.window.to)
        }
        // Before reading on: the windows read before this sync are checked for rows committed late. First,
        // so that a sync that fails half-way has not moved the cursor past windows that still need it.
        if let inclusive {
            try await recheckRecentWindows(inclusive: inclusive, now: now, cursor: cursor, horizon: horizon)
        }
        // The first page of the next window, requested while the last pages of this one commit.
        var ahead: PageRequest?
        defer { ahead?.task.cancel() }
        while let window = planner.window(from: cursor, horizon: horizon) {
            try context.checkStop()
            try context.renewLease()
            var first: OctoparsePage
            if let request = ahead, request.window == window, request.inclusive == (inclusive ?? false) {
                first = try await request.task.value
            } else {
                ahead?.task.cancel()
                first = try await reader.page(
                    task: id,
                    window: window,
                    inclusive: inclusive ?? false,
                    pageIndex: 1,
                    pageSize: context.pageSize
                )
            }
            ahead = nil
            guard context.configuration.sizing.accepts(rows: first.total, length: window.length) else {
                planner.refused(window, rows: first.total)
                continue
            }
            if inclusive == nil, first.total > 0 {
                let learned = try await detectReading(in: window)
                inclusive = learned
                if learned {
                    first = try await reader.page(
                        task: id,
                        window: window,
                        inclusive: true,
                        pageIndex: 1,
                        pageSize: context.pageSize
                    )
                }
            }
            let record = try database.recordWindow(taskID: id, window: window, now: context.now())
            let read = try await read(record, inclusive: inclusive ?? false, first: first, horizon: horizon) {
                total in
                var next = planner
                next.accepted(window, rows: total)
                return next.window(from: window.to, horizon: horizon)
            }
            ahead = read.ahead
            logWindowDone(record, rows: read.total)
            planner.accepted(window, rows: read.total)
            cursor = window.to
        }
        ahead?.task.cancel()
        ahead = nil
        return cursor >= horizon
    }

    /// Reads a recorded window whole: every page, each committed with the window's progress. A page whose
    /// `total` differs from the first's means the window changed while it was read (rows would shift
    /// between pages): that page is dropped and the pass starts over, and the row keys make the pages
    /// already stored harmless.
    ///
    /// Up to `pagesAhead` pages are requested while a page commits; once the last page of the window is
    /// requested, the first page of the window `upcoming` names (given this window's `total`) is too, and
    /// handed back as `ahead`. Returns the window's `total`.
    private func read(
        _ record: WindowRecord,
        inclusive: Bool,
        first: OctoparsePage?,
        horizon: Int64,
        upcoming: (Int) -> StorageWindow? = { _ in nil }
    ) async throws -> (total: Int, ahead: PageRequest?) {
        let window = record.window
        let pageSize = context.pageSize
        let depth = max(1, context.configuration.pagesAhead)
        var first = first
        for _ in 0..<5 {
            let opening: OctoparsePage
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
            let pages = max(1, (opening.total + pageSize - 1) / pageSize)
            var keys = WindowRowKeys()
            var requested = 1
            var inflight: [PageRequest] = []
            var ahead: PageRequest?
            defer {
                for request in inflight { request.task.cancel() }
                ahead?.task.cancel()
            }
            func requestAhead() {
                while inflight.count < depth, requested < pages {
                    requested += 1
                    inflight.append(request(window, inclusive: inclusive, pageIndex: requested))
                }
                if requested == pages, inflight.count < depth, ahead == nil, let next = upcoming(opening.total) {
                    ahead = request(next, inclusive: inclusive, pageIndex: 1)
                }
            }
            requestAhead()
            try store(opening, record, keys: &keys, completes: pages == 1, horizon: horizon)
            if pages > 1 { Crashpoint.midWindow.hit() }
            var consistent = true
            var index = 2
            while !inflight.isEmpty {
                let page = try await inflight.removeFirst().task.value
                requestAhead()
                guard page.total == opening.total, !page.rows.isEmpty else {
                    consistent = false
                    break
                }
                try context.renewLease()
                try store(page, record, keys: &keys, completes: index == pages, horizon: horizon)
                if index < pages { Crashpoint.midWindow.hit() }
                index += 1
            }
            if consistent {
                defer { ahead = nil }
                return (opening.total, ahead)
            }
            context.logger.info(
                "task window changed while read; reading it again",
                metadata: ["task": "\(id)", "from": "\(record.fromTime)", "to": "\(record.toTime)"]
            )
        }
        throw OctoparseError.transient("window \(window) of task \(id) kept changing while it was read")
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
        let window: StorageWindow
        let inclusive: Bool
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
        return PageRequest(window: window, inclusive: inclusive, task: task)
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

    /// The reading of `to` to use for an interrupted window: the known one, or learned now if the window
    /// holds rows (an empty window is empty under either reading).
    private func reading(_ known: Bool?, for window: StorageWindow) async throws -> Bool? {
        if let known { return known }
        let probe = try await reader.page(task: id, window: window, inclusive: false, pageIndex: 1, pageSize: 1)
        return probe.total > 0 ? try await detectReading(in: window) : nil
    }

    /// Learns whether the API's `to` is inclusive, from a window known to hold rows: find the first
    /// second `s` such that [from, s] holds rows, then ask for the one-second window [s, s]. Under the
    /// inclusive reading it holds the rows stored at `s`; under the exclusive one it is always empty.
    /// About log2(window length) requests, once per account.
    private func detectReading(in window: StorageWindow) async throws -> Bool {
        func count(_ from: Int64, _ to: Int64) async throws -> Int {
            try await reader.page(task: id, from: from, to: to, pageIndex: 1, pageSize: 1).total
        }
        var inclusive = try await count(window.from, window.from) > 0
        if !inclusive {
            var low = window.from
            var high = window.to
            while high - low > 1 {
                let middle = low + (high - low) / 2
                if try await count(window.from, middle) > 0 { high = middle } else { low = middle }
            }
            inclusive = try await count(high, high) > 0
        }
        let account = reader.client.account
        try database.setWindowToInclusive(
            inclusive,
            baseURL: account.baseURL,
            username: account.username,
            now: context.now()
        )
        context.logger.notice(
            "learned how Octoparse reads `to`",
            metadata: ["task": "\(id)", "account": "\(account)", "inclusive": "\(inclusive)"]
        )
        return inclusive
    }

    /// Windows that ended within the look-back period before the cursor are asked for their `total` again;
    /// one that grew (rows committed late) is read again whole, and only its new rows are stored.
    ///
    /// The period is counted back from the cursor, not from now: after an outage longer than the look-back
    /// (the service stopped, or every process waiting on a dead one's lease), the windows read just before
    /// it still get their late rows. Counted from now, they had ended too long ago to be checked, and their
    /// late rows were never read (found by `make chaos`).
    private func recheckRecentWindows(inclusive: Bool, now: Date, cursor: Int64, horizon: Int64) async throws {
        let since = Date(timeIntervalSince1970: TimeInterval(min(cursor, horizon)))
            .addingTimeInterval(-context.configuration.lookBack.seconds)
        // Checked at most a dozen times over the look-back period.
        let checkedRecently = UTCTime.format(now.addingTimeInterval(-context.configuration.lookBack.seconds / 12))
        for record in try database.recentWindows(taskID: id, endingAfter: since)
        where (record.checkedAt ?? "") < checkedRecently {
            try context.checkStop()
            let probe = try await reader.page(
                task: id,
                window: record.window,
                inclusive: inclusive,
                pageIndex: 1,
                pageSize: 1
            )
            if probe.total > record.rowsStored {
                context.logger.info(
                    "rows committed late; reading the window again",
                    metadata: [
                        "task": "\(id)", "from": "\(record.fromTime)", "to": "\(record.toTime)",
                        "new": "\(probe.total - record.rowsStored)",
                    ]
                )
                _ = try await read(record, inclusive: inclusive, first: nil, horizon: horizon)
            } else {
                try database.markWindowChecked(id: record.id, total: probe.total, now: context.now())
            }
        }
    }
}

extension ByTimeSync {
    static func seconds(_ text: String?) -> Int64? {
        text.flatMap(UTCTime.parse).map { Int64($0.timeIntervalSince1970.rounded(.down)) }
    }
}
