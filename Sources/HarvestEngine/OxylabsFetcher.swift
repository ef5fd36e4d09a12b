import Foundation
import HarvestCore
import HarvestMetrics
import HarvestStore
import Logging
import OxylabsAPI
import ServiceLifecycle

/// Downloads the results of finished jobs and stores them; only then is a job `done`. Reacts at once
/// when a poll or a callback says a job finished.
public struct OxylabsFetcher: Service, CustomStringConvertible {
    let context: PipelineContext

    public init(context: PipelineContext) {
        self.context = context
    }

    /// The service's name in ServiceLifecycle's log events; the default description would print every
    /// stored property.
    public var description: String { "OxylabsFetcher" }

    public func run() async throws {
        let database = context.database
        try await WorkerLoop.runClaiming(
            context: context,
            step: .fetch,
            wakeup: context.fetcherWakeup,
            concurrency: context.configuration.fetchConcurrency,
            claim: { limit, now, owner, lease in
                try database.claimJobsDueForFetch(limit: limit, now: now, owner: owner, lease: lease)
            },
            handle: { job in await fetch(job) }
        )
    }

    private func fetch(_ job: PipelineJob) async {
        guard let remoteID = job.remoteID else { return }
        let database = context.database
        do {
            let answer = try await context.client.results(id: remoteID, types: job.resultTypes)
            context.credentialsAccepted()
            let now = context.now()
            switch answer {
            case .notReady:
                // A callback or a stale view said done; the job is still running.
                try notReady(job, now: now)
            case .ready(let pages, let answered):
                var remote = answered
                var verdict = ResultsVerdict.of(answered: answered?.status, statusSaidDone: job.doneSaidByStatus)
                if verdict == .askStatus {
                    // A 200 without `job` after an unsigned callback: a faulted job answers so too, with stubs.
                    HarvestMetrics.recordPoll()
                    let status = try await context.client.job(id: remoteID)
                    remote = status
                    verdict = ResultsVerdict.afterStatus(status.status)
                    try database.countPoll(id: job.id, owner: context.owner)
                }
                switch verdict {
                case .store, .askStatus: break  // asked above: never still .askStatus here
                case .faulted:
                    try PipelineErrors.recordFaulted(job, context: context, now: context.now())
                    return
                case .notReady:
                    try notReady(job, now: context.now())
                    return
                }
                if job.polls == 0, let submitted = job.submittedAt, let detected = job.detectedAt {
                    // Announced by a callback: its arrival is a close bound on the finish time.
                    if context.latencies.record(source: job.source, seconds: detected.timeIntervalSince(submitted)) {
                        context.rescheduleFirstPolls(source: job.source)
                    }
                }
                let wanted = Set(job.resultTypes)
                let kept = pages.filter { wanted.contains($0.type) }
                Crashpoint.afterFetchBeforeCommit.hit()
                let stored = try database.storeResults(
                    id: job.id,
                    pages: kept,
                    remote: remote,
                    now: now,
                    owner: context.owner
                )
                HarvestMetrics.recordResultBytes(stored)
                // Nothing stored although there was content: another process took the job over.
                let bytes = kept.reduce(0) { $0 + $1.content.byteCount }
                guard stored > 0 || bytes == 0 else { return }
                let types = Set(kept.map(\.type.rawValue)).sorted().joined(separator: ",")
                context.logger.info(
                    "results fetched",
                    metadata: job.logMetadata.adding([
                        "pages": "\(kept.count)", "bytes": "\(stored)", "types": "\(types)",
                    ])
                )
                context.logFinal(job, status: .done)
            }
        } catch let error as OxylabsError {
            PipelineErrors.record(error, job: job, context: context)
        } catch {
            context.logger.error("could not store results", metadata: job.logMetadata.adding(["error": "\(error)"]))
        }
    }

    /// The job is still running upstream although it looked done: nothing is stored, polling resumes.
    private func notReady(_ job: PipelineJob, now: Date) throws {
        try context.database.recordNotReady(
            id: job.id,
            nextPollAt: context.nextPoll(elapsed: now.timeIntervalSince(job.submittedAt ?? now), now: now),
            now: now,
            owner: context.owner
        )
        context.logger.debug("job results not ready; polling again", metadata: job.logMetadata)
        context.pollerWakeup.signal()
    }
}
