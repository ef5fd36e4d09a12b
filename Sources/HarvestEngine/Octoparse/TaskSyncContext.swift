import Foundation
import HarvestCore
import HarvestStore
import Logging

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

    /// Keeps the task reserved for this process while a long sync runs.
    func renewLease() throws {
        _ = try database.acquireLease(
            resource: HarvestDatabase.taskLease(id),
            owner: owner,
            for: configuration.lease,
            now: now()
        )
    }
}
