import Foundation
import HarvestCore
import HarvestStore
import Logging
import OctoparseAPI
import ServiceLifecycle
import Synchronization

/// Harvests every enabled Octoparse task: claims due tasks (a lease per task, so two processes never sync
/// the same one), syncs up to `concurrency` at once, and schedules each again after its interval.
public final class OctoparseSyncer: Service, Sendable {
    public let database: HarvestDatabase
    public let reader: OctoparseReader
    public let configuration: OctoparseSyncConfiguration
    public let owner: String
    public let logger: Logger
    public let progress = SyncProgress()
    /// Only these tasks (`harvest tasks sync ID…`); nil for all.
    let only: Set<String>?
    let now: @Sendable () -> Date
    private let stopping = Mutex(false)
    /// Tasks this process is syncing now.
    private let running = Mutex<Set<String>>([])

    public init(
        database: HarvestDatabase,
        reader: OctoparseReader,
        configuration: OctoparseSyncConfiguration,
        owner: String,
        logger: Logger,
        only: Set<String>? = nil,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.database = database
        self.reader = reader
        self.configuration = configuration
        self.owner = owner
        self.logger = logger
        self.only = only
        self.now = now
    }

    /// How one sync ended.
    public enum Outcome: Sendable, Equatable {
        /// Everything up to the present is stored.
        case caughtUp
        /// Stopped early (shutdown) or left work for the next sync.
        case partial
        /// The task cannot be harvested; it is marked failed with this message.
        case failed(String)
        /// The sync ended with an error; the task is tried again later.
        case error(String)
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                while !isStopping {
                    var claimed = false
                    while self.running.withLock({ $0.count }) < configuration.concurrency, !isStopping {
                        let busy = self.running.withLock { $0 }
                        let excluded = busy.union(excludedTasks())
                        guard
                            let task = try? database.claimDueTask(
                                owner: owner,
                                lease: configuration.lease,
                                now: now(),
                                excluding: excluded
                            )
                        else { break }
                        claimed = true
                        self.running.withLock { _ = $0.insert(task.taskID) }
                        group.addTask {
                            _ = await self.sync(task)
                            self.running.withLock { _ = $0.remove(task.taskID) }
                        }
                    }
                    if !claimed { try? await Task.sleep(for: configuration.idlePoll) }
                }
                await group.waitForAll()
            }
        } onGracefulShutdown: {
            self.stopping.withLock { $0 = true }
        }
    }

    /// Syncs one task now, whether it is due or not (`harvest tasks sync`). Returns nil when another
    /// process holds the task.
    public func syncNow(_ id: TaskID) async throws -> Outcome? {
        _ = try database.task(id: id)
        guard
            try database.acquireLease(
                resource: HarvestDatabase.taskLease(id),
                owner: owner,
                for: configuration.lease,
                now: now()
            )
        else { return nil }
        return await sync(try database.task(id: id))
    }

    /// Asks the running syncs to stop between pages.
    public func stop() {
        stopping.withLock { $0 = true }
    }

    private var isStopping: Bool { stopping.withLock { $0 } }

    /// Tasks outside `only`, so that `tasks sync --follow` leaves the others alone.
    private func excludedTasks() -> Set<String> {
        guard let only else { return [] }
        let all = (try? database.tasks().map(\.taskID)) ?? []
        return Set(all).subtracting(only)
    }

    /// One sync of a claimed task, ended in the database whatever happens.
    func sync(_ task: TaskRecord) async -> Outcome {
        guard let id = try? TaskID(parsing: task.taskID) else { return .failed("bad task id") }
        let context = TaskSyncContext(
            task: task,
            id: id,
            reader: reader,
            database: database,
            configuration: configuration,
            owner: owner,
            progress: progress,
            logger: logger,
            now: now,
            isStopping: { [self] in self.isStopping }
        )
        let every = TimeInterval(task.syncEvery)
        var metadata: Logger.Metadata = ["task": "\(id)", "mode": "\(task.mode.rawValue)"]
        do {
            let caughtUp =
                task.mode == .byTime
                ? try await ByTimeSync(context: context).run() : try await QueueSync(context: context).run()
            try database.finishSync(
                taskID: id,
                owner: owner,
                caughtUp: caughtUp,
                error: nil,
                nextSyncAt: now().addingTimeInterval(caughtUp ? every : 0),
                now: now()
            )
            let synced = try? database.task(id: id)
            let rows = (synced?.rowsHarvested ?? task.rowsHarvested) - task.rowsHarvested
            metadata["rows"] = "\(rows)"
            metadata["caught_up"] = "\(caughtUp)"
            if let cursor = synced?.cursor { metadata["cursor"] = "\(cursor)" }
            // A sync that found nothing new is routine: every task, every few minutes.
            logger.log(level: rows > 0 ? .info : .debug, "task synced", metadata: metadata)
            return caughtUp ? .caughtUp : .partial
        } catch is CancellationError {
            logger.debug("task sync stopped for shutdown", metadata: metadata)
            try? database.finishSync(
                taskID: id,
                owner: owner,
                caughtUp: false,
                error: nil,
                nextSyncAt: now(),
                now: now()
            )
            return .partial
        } catch let error as OctoparseError {
            metadata["error"] = "\(error)"
            switch error {
            case .taskNotFound, .rejected:
                logger.error("task failed", metadata: metadata)
                try? database.failTask(taskID: id, owner: owner, message: error.description, now: now())
                return .failed(error.description)
            case .needsCredentials, .invalidGrant, .unauthorized, .transient:
                logger.warning("task sync stopped; trying again later", metadata: metadata)
                try? database.finishSync(
                    taskID: id,
                    owner: owner,
                    caughtUp: false,
                    error: error.description,
                    nextSyncAt: now().addingTimeInterval(configuration.errorDelay.seconds),
                    now: now()
                )
                return .error(error.description)
            }
        } catch {
            metadata["error"] = "\(error)"
            logger.error("task sync stopped; trying again later", metadata: metadata)
            try? database.finishSync(
                taskID: id,
                owner: owner,
                caughtUp: false,
                error: "\(error)",
                nextSyncAt: now().addingTimeInterval(configuration.errorDelay.seconds),
                now: now()
            )
            return .error("\(error)")
        }
    }
}
