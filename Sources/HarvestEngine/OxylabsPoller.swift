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
                context.logger.debug("job done upstream; fetching results", metadata: job.logMetadata)
                context.fetcherWakeup.signal()
            case .faulted:
                try PipelineErrors.recordFaulted(job, context: context, now: now)
            case .pending, .other:
                let elapsed = now.timeIntervalSince(submittedAt)
                if elapsed > context.configuration.pendingDeadline.seconds {
                    let reason = "still pending \(Int(elapsed)) s after submission (deadline)"
                    if try database.recordPendingError(
                        id: job.id,
                        reason: reason,
                        retryAt: now,
                        giveUp: true,
                        now: now,
                        owner: context.owner
                    ) {
                        context.logFinal(job, status: .failed, error: reason)
                    }
                } else {
                    let nextPoll = context.nextPoll(elapsed: elapsed, now: now)
                    try database.recordStillPending(
                        id: job.id,
                        nextPollAt: nextPoll,
                        now: now,
                        owner: context.owner
                    )
                    context.logger.debug(
                        "job still pending",
                        metadata: job.logMetadata.adding(["next_poll_at": "\(UTCTime.format(nextPoll))"])
                    )
                }
            }
        } catch let error as OxylabsError {
            PipelineErrors.record(error, job: job, context: context)
        } catch {
            context.logger.error("could not record a poll", metadata: job.logMetadata.adding(["error": "\(error)"]))
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
    /// Records `error` and logs what it did to the job: `job final` when it ended the job, the retries at
    /// debug (one per request: an outage must not flood the log). A failure to record is logged too.
    static func record(_ error: OxylabsError, job: PipelineJob, context: PipelineContext) {
        do {
            try recordOrThrow(error, job: job, context: context)
        } catch {
            context.logger.error(
                "could not record a job error",
                metadata: job.logMetadata.adding(["error": "\(error)"])
            )
        }
    }

    private static func recordOrThrow(_ error: OxylabsError, job: PipelineJob, context: PipelineContext) throws {
        let now = context.now()
        switch error {
        case .notFound:
            let reason = "Oxylabs no longer knows job \(job.remoteID ?? "?") (expired or unknown)"
            if try context.database.failJob(id: job.id, reason: reason, now: now, owner: context.owner) {
                context.logFinal(job, status: .failed, error: reason)
            }
        case .validation(_, let message):
            if try context.database.failJob(id: job.id, reason: message, now: now, owner: context.owner) {
                context.logFinal(job, status: .failed, error: error.description)
            }
        case .unauthorized:
            context.credentialsRefused(error)
            try context.database.postponeJob(
                id: job.id,
                until: now.addingTimeInterval(1),  // the gate holds calls back; another process may go on
                reason: error.description,
                now: now,
                owner: context.owner
            )
        case .rateLimited, .transient, .acceptedUnreadable:
            let giveUp = job.errors + 1 >= context.configuration.maximumErrors
            let reason = giveUp ? "gave up after \(job.errors + 1) errors: \(error)" : error.description
            let retryAt = now.addingTimeInterval(context.retryDelay(errors: job.errors))
            guard
                try context.database.recordPendingError(
                    id: job.id,
                    reason: reason,
                    retryAt: retryAt,
                    giveUp: giveUp,
                    now: now,
                    owner: context.owner
                )
            else { return }
            if giveUp {
                context.logFinal(job, status: .failed, error: reason)
            } else {
                context.logger.debug(
                    "job call failed; retrying later",
                    metadata: job.logMetadata.adding([
                        "error": "\(error)", "errors": "\(job.errors + 1)", "retry_at": "\(UTCTime.format(retryAt))",
                    ])
                )
            }
        }
    }

    /// Oxylabs faulted the job (seen by a poll or in its results): queued again while re-submissions
    /// are left (faulted jobs are free), else final.
    static func recordFaulted(_ job: PipelineJob, context: PipelineContext, now: Date) throws {
        let resubmit = job.faults < context.configuration.maximumResubmissions
        guard try context.database.recordFaulted(id: job.id, resubmit: resubmit, now: now, owner: context.owner)
        else { return }
        if resubmit {
            context.logger.notice(
                "job faulted upstream; submitting again",
                metadata: job.logMetadata.adding(["faults": "\(job.faults + 1)"])
            )
            context.submitterWakeup.signal()
        } else {
            context.logFinal(job, status: .faulted, error: "Oxylabs faulted the job", ["faults": "\(job.faults + 1)"])
        }
    }
}
