import Foundation
import HarvestCore
import HarvestMetrics
import HarvestStore
import Logging
import Synchronization

/// What one sync of one task needs: the task, how to read, where to write, and who holds the lease.
struct TaskSyncContext: Sendable {
    let task: TaskRecord
    let id: TaskID
    let reader: OctoparseReader
    let database: HarvestDatabase
    let configuration: OctoparseSyncConfiguration
    let owner: String
    let progress: SyncProgress
    let logger: Logger
    let now: @Sendable () -> Date
    /// True once the service is shutting down: a sync stops between pages (each page is committed).
    let isStopping: @Sendable () -> Bool

    var pageSize: Int { configuration.pageSize }

    /// Ends the sync between two pages when the service shuts down.
    func checkStop() throws {
        if isStopping() || Task.isCancelled { throw CancellationError() }
    }

    /// Records a committed page: its new rows in the sync's progress and in the task's ingestion counter.
    func recordStored(rows: Int, position: String) {
        progress.record(rows: rows, position: position)
        HarvestMetrics.recordRowsIngested(task: id.rawValue, rows: rows)
    }

    /// When the lease was last renewed.
    let renewedAt = LeaseRenewal()

    /// Keeps the task reserved for this process while a long sync runs: renewed once a quarter of the
    /// lease has passed (every renewal is a write transaction).
    func renewLease() throws {
        guard renewedAt.isDue(every: configuration.lease / 4) else { return }
        _ = try database.acquireLease(
            resource: HarvestDatabase.taskLease(id),
            owner: owner,
            for: configuration.lease,
            now: now()
        )
    }
}

/// When a task's lease was last renewed, shared by the copies of a ``TaskSyncContext``.
final class LeaseRenewal: Sendable {
    private let last = Mutex(ContinuousClock.now)

    /// True (and the time reset) when `interval` has passed since the last renewal.
    func isDue(every interval: Duration) -> Bool {
        last.withLock { last in
            let now = ContinuousClock.now
            guard now - last >= interval else { return false }
            last = now
            return true
        }
    }
}
