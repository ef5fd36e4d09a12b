import Foundation
import HarvestCore
import HarvestStore
import OctoparseAPI

/// One sync of a task read without storage times: by offset, from the not-exported queue, or the last
/// run. Each page commits with the position that follows it, so a crash neither skips nor doubles rows.
struct QueueSync {
    let context: TaskSyncContext

    private var database: HarvestDatabase { context.database }
    private var reader: OctoparseReader { context.reader }
    private var taskID: String { context.id.rawValue }

    /// Returns whether nothing is left to read.
    func run() async throws -> Bool {
        switch context.task.mode {
        case .offset: try await byOffset()
        case .notExported: context.task.destructive ? try await notExportedDestructive() : try await notExported()
        case .lastRun: try await lastRun()
        case .byTime: preconditionFailure("by-time tasks are synced by ByTimeSync")
        }
        return true
    }

    /// `GetDataOfTaskByOffset` from the stored offset until the API says nothing is left, the page is
    /// empty, or the offset stops moving.
    private func byOffset() async throws {
        var offset = context.task.offsetCursor ?? "0"
        while true {
            try context.checkStop()
            try context.renewLease()
            let size = context.pageSize
            let current = offset
            let taskID = taskID
            let page = try await reader.request("offset", task: taskID) { client, token throws(OctoparseError) in
                try await client.dataByOffset(taskID: taskID, offset: current, size: size, token: token)
            }
            let next = page.offset ?? current
            let drained = page.rows.isEmpty || (page.restTotal ?? 0) == 0 || next == current
            try store(page, offset: next, caughtUp: drained, position: "offset \(next)")
            if drained { return }
            offset = next
        }
    }

    /// Two-phase not-exported: `gettop`, commit the rows with the batch's hash, `update`. A crash after the
    /// commit returns the same batch next time: its hash is recognised and it is only confirmed.
    private func notExported() async throws {
        var pending = context.task.exportBatch
        while true {
            try context.checkStop()
            try context.renewLease()
            let size = context.pageSize
            let taskID = taskID
            let page = try await reader.request("gettop", task: taskID) { client, token throws(OctoparseError) in
                try await client.notExportedTop(taskID: taskID, size: size, token: token)
            }
            if page.rows.isEmpty { return }
            let batch = Self.batchHash(page)
            if batch != pending {
                try store(page, exportBatch: batch, position: "not exported")
                Crashpoint.afterExportCommit.hit()
            }
            let confirmed = page.rows.count
            try await reader.request("update", task: taskID) { client, token throws(OctoparseError) in
                try await client.markExported(taskID: taskID, size: confirmed, token: token)
            }
            try database.confirmExportBatch(taskID: context.id)
            pending = nil
        }
    }

    /// One-phase not-exported (`--destructive`): the API marks rows exported as it returns them, so each
    /// batch is committed before the next request; an answer lost on the way is lost upstream too.
    private func notExportedDestructive() async throws {
        while true {
            try context.checkStop()
            try context.renewLease()
            let size = context.pageSize
            let taskID = taskID
            let page = try await reader.request("notexportdata", task: taskID) { client, token throws(OctoparseError) in
                try await client.notExported(taskID: taskID, size: size, token: token)
            }
            if page.rows.isEmpty { return }
            try store(page, position: "not exported")
        }
    }

    /// The rows of the most recent cloud run, page by page. Rows are keyed in one pseudo-window (0), so
    /// reading the same run again stores nothing new; a page whose `total` moved (the run is still adding
    /// rows) restarts the pass.
    private func lastRun() async throws {
        let size = context.pageSize
        let taskID = taskID
        for _ in 0..<5 {
            var keys = WindowRowKeys()
            var expected: Int?
            var index = 1
            var consistent = true
            while true {
                try context.checkStop()
                try context.renewLease()
                let pageIndex = index
                let page = try await reader.request("last run", task: taskID) { client, token throws(OctoparseError) in
                    try await client.lastRunData(taskID: taskID, pageIndex: pageIndex, pageSize: size, token: token)
                }
                if let expected, page.total != expected {
                    consistent = false
                    break
                }
                expected = page.total
                let inserted = try database.storeRows(
                    taskID: context.id,
                    page: page,
                    window: 0,
                    keys: &keys,
                    caughtUp: false,
                    now: context.now()
                )
                context.recordStored(rows: inserted, position: "last run page \(pageIndex)")
                if page.rows.isEmpty || index * size >= page.total { break }
                index += 1
            }
            if consistent { return }
        }
        throw OctoparseError.transient("the last run of task \(taskID) kept changing while it was read")
    }

    /// Stores rows read without a window (every row is new), with the position that follows them.
    private func store(
        _ page: OctoparsePage,
        offset: String? = nil,
        exportBatch: String? = nil,
        caughtUp: Bool = false,
        position: String
    ) throws {
        var keys = WindowRowKeys()
        let inserted = try database.storeRows(
            taskID: context.id,
            page: page,
            window: nil,
            keys: &keys,
            offset: offset,
            exportBatch: exportBatch,
            caughtUp: caughtUp,
            now: context.now()
        )
        context.recordStored(rows: inserted, position: position)
    }

    /// Identifies a `gettop` batch by its rows.
    static func batchHash(_ page: OctoparsePage) -> String {
        var keys = WindowRowKeys()
        var text = page.fields.joined(separator: "\u{1F}")
        for row in page.rows {
            let key = keys.key(for: row)
            text += "|\(key.hash.0),\(key.hash.1),\(key.ordinal)"
        }
        return Digest.sha256Hex(text)
    }
}
