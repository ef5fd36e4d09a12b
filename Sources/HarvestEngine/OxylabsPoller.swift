import Foundation
import HarvestCore
import HarvestMetrics
import HarvestStore
import Logging
import OxylabsAPI
import ServiceLifecycle

/// Polls pending jobs on a schedule that wastes few requests: first near the job's expected completion
/// (learned from recent jobs of the same source), then capped exponential backoff with jitter.
public struct OxylabsPoller: Service, CustomStringConvertible {
    let context: PipelineContext

    public init(context: PipelineContext) {
        self.context = context
    }

    /// The service's name in ServiceLifecycle's log events; the default description would print every
    /// stored property.
    public var description: String { "OxylabsPoller" }

    public func run() async throws {
        let database = context.database
        try await WorkerLoop.runClaiming(
            context: context,
            step: .poll,
            wakeup: context.pollerWakeup,
            concurrency: context.configuration.pollConcurrency,
            claim: { limit, now, owner, lease in
                try database.claimJobsDueForPoll(limit: limit, now: now, owner: owner, lease: lease)
            },
            handle: { job in await poll(job) }
        )
    }

    private func poll(_ job: PipelineJob) async {
        guard let remoteID = job.remoteID, let submittedAt = job.submittedAt else { return }
        let database = context.database
        do {
            HarvestMetrics.recordPoll()
            let remote = try await context.client.job(id: remoteID)
            context.credentialsAccepted()
            let now = context.now()
            switch remote.status {
            case .done:
                Crashpoint.afterPollBeforeCommit.hit()
                learn(job, remote: remote, seenAt: now)
                try database.recordRemoteDone(
                    id: job.id,
                    remote: remote,
                    countPoll: true,
                    now: now,
                    owner: context.owner
                )
                context.fetcherWakeup.signal()
            case .faulted:
                try database.recordFaulted(
                    id: job.id,
                    resubmit: job.faults < context.configuration.maximumResubmissions,
                    now: now,
                    owner: context.owner
                )
                context.submitterWakeup.signal()
            case .pending, .other:
                let elapsed = now.timeIntervalSince(submittedAt)
                if elapsed > context.configuration.pendingDeadline.seconds {
                    try database.recordPendingError(
                        id: job.id,
                        reason: "still pending \(Int(elapsed)) s after submission (deadline)",
                        retryAt: now,
                        giveUp: true,
                        now: now,
                        owner: context.owner
                    )
                } else {
                    try database.recordStillPending(
                        id: job.id,
                        nextPollAt: context.nextPoll(elapsed: elapsed, now: now),
                        now: now,
                        owner: context.owner
                    )
                }
            }
        } catch let error as OxylabsError {
            try? PipelineErrors.record(error, job: job, context: context)
        } catch {
            context.logger.error("could not record a poll", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
    }

    private func learn(_ job: PipelineJob, remote: RemoteJob, seenAt: Date) {
        guard let submittedAt = job.submittedAt else { return }
        let seconds = LatencyObservation.latency(
            submittedAt: submittedAt,
            lastPendingAt: job.lastPolledAt,
            seenDoneAt: seenAt,
            remoteCreatedAt: job.remoteCreatedAt ?? remote.createdAt,
            remoteFinishedAt: remote.updatedAt
        )
        if context.latencies.record(source: job.source, seconds: seconds) {
            context.rescheduleFirstPolls(source: job.source)
        }
    }
}

/// How a transient or permanent error on a pending job is recorded, shared by the poller and fetcher.
enum PipelineErrors {
    static func record(_ error: OxylabsError, job: PipelineJob, context: PipelineContext) throws {
        let now = context.now()
        switch error {
        case .notFound:
            try context.database.failJob(
                id: job.id,
                reason: "Oxylabs no longer knows job \(job.remoteID ?? "?") (expired or unknown)",
                now: now,
                owner: context.owner
            )
        case .validation(_, let message):
            try context.database.failJob(id: job.id, reason: message, now: now, owner: context.owner)
        case .unauthorized:
            context.credentialsRefused(error)
            try context.database.postponeJob(
                id: job.id,
                until: now.addingTimeInterval(1),  // the gate holds calls back; another process may go on
                reason: error.description,
                now: now,
                owner: context.owner
            )
        case .rateLimited, .transient:
            let giveUp = job.errors + 1 >= context.configuration.maximumErrors
            try context.database.recordPendingError(
                id: job.id,
                reason: giveUp ? "gave up after \(job.errors + 1) errors: \(error)" : error.description,
                retryAt: now.addingTimeInterval(context.retryDelay(errors: job.errors)),
                giveUp: giveUp,
                now: now,
                owner: context.owner
            )
        }
    }
}
