import Foundation
import HarvestCore
import HarvestMetrics
import HarvestStore
import Logging
import OxylabsAPI
import ServiceLifecycle
import Synchronization

/// Sends queued jobs to Oxylabs: as batches when several share their parameters, singly otherwise,
/// under the submissions-per-second limit Oxylabs announces, or, when it announces none, the rate
/// ``SubmissionRate`` probes for. The rate in use is a gauge and is recorded on the account for
/// `harvest status`.
///
/// A job is marked `submitting` (and leased) before its request leaves, and its remote id is stored in
/// the same transaction that makes it `pending`. A process that dies in between leaves it `submitting`;
/// when the lease expires it is sent again and counted as a re-submission: Oxylabs offers no way to
/// look the first one up.
public final class OxylabsSubmitter: Service {
    let context: PipelineContext
    private let budget: Mutex<SubmissionBudget>
    private let rateReport: Mutex<RateReport?> = Mutex(nil)

    /// The rate last recorded in the database, and when.
    private struct RateReport {
        var rate: SubmissionRate
        var at: Date
    }

    public init(context: PipelineContext) {
        self.context = context
        budget = Mutex(SubmissionBudget(limit: context.configuration.initialSubmissionsPerSecond, now: context.now()))
    }

    public func run() async throws {
        try await WorkerLoop.run(context: context, step: .submit, wakeup: context.submitterWakeup) {
            try await step()
        }
    }

    /// Submits what the budget allows; false when there was nothing to do (or no budget).
    func step() async throws -> Bool {
        let now = context.now()
        let allowance = budget.withLock { $0.take(upTo: SubmissionPlan.maximumBatch, now: now) }
        guard allowance > 0 else {
            let resume = budget.withLock { $0.nextAllowance(now: now) }
            await context.submitterWakeup.wait(
                upTo: .milliseconds(Int64(max(resume.timeIntervalSince(now), 0.01) * 1000))
            )
            return true
        }
        let jobs = try context.database.claimJobsForSubmission(
            limit: allowance,
            now: now,
            owner: context.owner,
            lease: context.configuration.lease
        )
        budget.withLock { $0.giveBack(allowance - jobs.count) }
        guard !jobs.isEmpty else { return false }
        let byID = Dictionary(uniqueKeysWithValues: jobs.map { ($0.id, $0) })
        let requests = SubmissionPlan.requests(
            for: jobs.map {
                SubmissionCandidate(id: $0.id, batchKey: $0.batchKey, url: $0.url, query: $0.query, payload: $0.payload)
            },
            callbackURL: context.configuration.callbackURL
        )
        let outcomes = await withTaskGroup(of: [Int64: SubmitOutcome].self) { group in
            var pending = requests[...]
            var merged: [Int64: SubmitOutcome] = [:]
            for _ in 0..<min(context.configuration.submitConcurrency, pending.count) {
                let request = pending.removeFirst()
                group.addTask { await self.send(request, jobs: byID) }
            }
            for await outcome in group {
                merged.merge(outcome) { $1 }
                if let request = pending.popFirst() { group.addTask { await self.send(request, jobs: byID) } }
            }
            return merged
        }
        Crashpoint.afterSubmitBeforeCommit.hit()
        let recorded = try context.database.recordSubmission(outcomes, now: context.now(), owner: context.owner)
        for (id, outcome) in outcomes.sorted(by: { $0.key < $1.key }) where recorded.contains(id) {
            if let job = byID[id] { log(outcome, job: job) }
        }
        if outcomes.values.contains(where: { if case .accepted = $0 { true } else { false } }) {
            context.pollerWakeup.signal()
        }
        report(budget.withLock { $0.rate }, now: context.now())
        return true
    }

    /// Shows the rate in use: the gauge at once; the account's row (for `harvest status`) when what was
    /// learned changed (a limit announced, a 429), or the rate moved by 5% and a second has passed.
    private func report(_ rate: SubmissionRate, now: Date) {
        HarvestMetrics.setSubmissionRate(rate.current)
        let due = rateReport.withLock { last -> Bool in
            guard let previous = last else { return true }
            if previous.rate.announced != rate.announced || previous.rate.refusedAt != rate.refusedAt { return true }
            let moved = abs(rate.current - previous.rate.current) >= 0.05 * previous.rate.current
            return moved && now.timeIntervalSince(previous.at) >= 1
        }
        guard due else { return }
        do {
            try context.database.setSubmissionRate(
                provider: "oxylabs",
                baseURL: context.client.account.baseURL,
                username: context.client.account.username,
                rate: rate.current,
                announcedLimit: rate.announced,
                refusedAt: rate.refusedAt,
                now: now
            )
            rateReport.withLock { $0 = RateReport(rate: rate, at: now) }
        } catch {
            context.logger.error("could not record the submission rate", metadata: ["error": "\(error)"])
        }
    }

    /// One event per job and submission: `job submitted` (info), `job final` when Oxylabs refused it for
    /// good, and the retries at debug (an outage must not flood the log).
    private func log(_ outcome: SubmitOutcome, job: PipelineJob) {
        var metadata = job.logMetadata
        switch outcome {
        case .accepted(let remote, let firstPollAt):
            metadata["remote"] = "\(remote.id)"
            metadata["oxylabs_source"] = "\(job.source)"
            metadata["first_poll_at"] = "\(UTCTime.format(firstPollAt))"
            if job.isResubmission { metadata["resubmission"] = "true" }
            context.logger.info("job submitted", metadata: metadata)
        case .retry(let retryAt, let reason):
            metadata["error"] = "\(reason)"
            metadata["retry_at"] = "\(UTCTime.format(retryAt))"
            context.logger.debug("job submission failed; retrying later", metadata: metadata)
        case .resend(let retryAt, let reason):
            metadata["error"] = "\(reason)"
            metadata["retry_at"] = "\(UTCTime.format(retryAt))"
            metadata["resubmission"] = "true"
            context.logger.notice("job accepted but its answer was lost; submitting it again", metadata: metadata)
        case .postpone(let until, let reason):
            metadata["error"] = "\(reason)"
            metadata["retry_at"] = "\(UTCTime.format(until))"
            context.logger.debug("job submission postponed", metadata: metadata)
        case .failed(let reason):
            context.logFinal(job, status: .failed, error: reason)
        }
    }

    private func send(_ request: SubmissionRequest, jobs: [Int64: PipelineJob]) async -> [Int64: SubmitOutcome] {
        let sentAt = context.now()
        do {
            let (answers, rateLimit): ([RemoteJob], RateLimitStatus?) =
                request.isBatch
                ? try await context.client.submitBatch(request.body)
                : try await { () async throws(OxylabsError) in
                    let (job, limit) = try await context.client.submit(request.body)
                    return ([job], limit)
                }()
            context.credentialsAccepted()
            context.rateLimits.succeeded()
            let matched = SubmissionPlan.match(request, answers: answers)
            budget.withLock {
                $0.accepted(
                    jobs: request.jobIDs.count,
                    limit: rateLimit?.limit,
                    remaining: rateLimit?.remaining,
                    now: context.now()
                )
            }
            HarvestMetrics.recordSubmissions(request.jobIDs.filter { matched[$0] != nil }.count)
            var outcomes: [Int64: SubmitOutcome] = [:]
            for id in request.jobIDs {
                guard let remote = matched[id], let job = jobs[id] else {
                    outcomes[id] = .retry(at: context.now(), reason: "Oxylabs' batch answer did not include this job")
                    continue
                }
                outcomes[id] = .accepted(
                    remote,
                    firstPollAt: context.firstPoll(source: job.source, submittedAt: sentAt)
                )
            }
            return outcomes
        } catch {
            // Cut off by a shutdown whose grace ran out: the request may have reached Oxylabs, so the jobs
            // stay `submitting`, like after a crash, and are sent again (and counted) on the next start.
            if Task.isCancelled { return [:] }
            // One 429 answers the whole request, however many jobs it carried: one refusal for the budget.
            var pausedUntil: Date?
            if case .rateLimited = error {
                let now = context.now()
                context.rateLimits.limited(at: now)
                var random = SystemRandomNumberGenerator()
                pausedUntil = budget.withLock {
                    $0.refused(
                        sentAt: sentAt,
                        now: now,
                        backoff: context.configuration.rateLimitBackoff,
                        using: &random
                    )
                }
            }
            return Dictionary(
                uniqueKeysWithValues: request.jobIDs.map { id in
                    (id, outcome(for: error, job: jobs[id], pausedUntil: pausedUntil))
                }
            )
        }
    }

    private func outcome(for error: OxylabsError, job: PipelineJob?, pausedUntil: Date?) -> SubmitOutcome {
        let now = context.now()
        let errors = job?.errors ?? 0
        switch error {
        case .validation(_, let message):
            return .failed(message)
        case .rateLimited:
            return .retry(at: pausedUntil ?? now, reason: error.description)
        case .unauthorized:
            context.credentialsRefused(error)
            // The gate holds calls back; the job itself is due again at once for a process whose gate is open.
            return .postpone(until: now.addingTimeInterval(1), reason: error.description)
        case .notFound, .transient:
            if errors + 1 >= context.configuration.maximumErrors {
                return .failed("gave up after \(errors + 1) failed submissions: \(error)")
            }
            return .retry(at: now.addingTimeInterval(context.retryDelay(errors: errors)), reason: error.description)
        case .acceptedUnreadable:
            // Oxylabs has the job, under an id that was lost with the answer and cannot be looked up: the
            // only way on is a second copy, counted like the ones a crash in the submit gap makes.
            if errors + 1 >= context.configuration.maximumErrors {
                return .failed("gave up after \(errors + 1) failed submissions: \(error)")
            }
            return .resend(at: now.addingTimeInterval(context.retryDelay(errors: errors)), reason: error.description)
        }
    }
}
