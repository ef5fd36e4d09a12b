import Foundation
import HarvestCore
import HarvestStore
import Logging
import OxylabsAPI

/// What the Oxylabs workers of one process share.
public struct PipelineContext: Sendable {
    public let database: HarvestDatabase
    public let client: OxylabsClient
    public let configuration: OxylabsPipelineConfiguration
    /// This process's name in leases: host, pid and a random suffix.
    public let owner: String
    public let latencies: LatencyTracker
    public let logger: Logger
    public let now: @Sendable () -> Date
    /// Wakes the poller (jobs were submitted) and the fetcher (a poll or a callback saw a job done).
    public let pollerWakeup = Wakeup()
    public let fetcherWakeup = Wakeup()
    public let submitterWakeup = Wakeup()
    /// Closed while Oxylabs refuses the credentials.
    public let gate = AccountGate()
    /// Since when Oxylabs has answered every submission with 429 (`/readyz`).
    public let rateLimits = RateLimitWatch()

    public init(
        database: HarvestDatabase,
        client: OxylabsClient,
        configuration: OxylabsPipelineConfiguration,
        owner: String = PipelineContext.processOwner(),
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.client = client
        self.configuration = configuration
        self.owner = owner
        self.latencies = LatencyTracker()
        self.logger = logger
        self.now = now
    }

    /// `host:pid:random`, unique per process run.
    public static func processOwner() -> String {
        "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Seeds the latency models from the jobs this database already completed.
    public func learnFromHistory() throws {
        for (source, seconds) in try database.recentLatencies(perSource: 200) {
            latencies.record(source: source, seconds: seconds)
        }
    }

    /// The delay before retrying a job that has failed `errors` times in a row.
    func retryDelay(errors: Int) -> TimeInterval {
        var random = SystemRandomNumberGenerator()
        return configuration.errorBackoff.delay(attempt: errors + 1, using: &random).seconds
    }

    /// A job reached a final state: `job final` with its status, at info when it is done and at
    /// warning when it faulted or failed.
    func logFinal(_ job: PipelineJob, status: JobStatus, error: String? = nil, _ more: Logger.Metadata = [:]) {
        var metadata = job.logMetadata.adding(more)
        metadata["status"] = "\(status.rawValue)"
        if let error { metadata["error"] = "\(error)" }
        logger.log(level: status == .done ? .info : .warning, "job final", metadata: metadata)
    }

    /// Oxylabs refused the credentials: close the gate and show the account as needing credentials.
    func credentialsRefused(_ error: OxylabsError) {
        guard gate.refused(at: now()) else { return }
        logger.error(
            "credentials refused; calls pause",
            metadata: ["provider": "oxylabs", "account": "\(client.account)", "error": "\(error)"]
        )
        try? database.setAccountState(
            provider: "oxylabs",
            baseURL: client.account.baseURL,
            username: client.account.username,
            state: "needs-credentials",
            error: error.description,
            now: now()
        )
    }

    /// A call succeeded: the credentials work.
    func credentialsAccepted() {
        guard gate.accepted() else { return }
        logger.info("credentials accepted", metadata: ["provider": "oxylabs", "account": "\(client.account)"])
        try? database.setAccountState(
            provider: "oxylabs",
            baseURL: client.account.baseURL,
            username: client.account.username,
            state: "ok",
            error: nil,
            now: now()
        )
    }

    /// When to poll a job first, from the latency model of its source.
    func firstPoll(source: String, submittedAt: Date) -> Date {
        var random = SystemRandomNumberGenerator()
        let delay = configuration.pollSchedule.firstPoll(
            model: latencies.model(for: source),
            expectingCallback: configuration.callbackURL != nil,
            using: &random
        )
        return submittedAt.addingTimeInterval(delay.seconds)
    }

    /// The first latency model of `source` has just been fitted: jobs still waiting for their first
    /// poll were scheduled with the prior, so bring their polls forward where the model says so.
    func rescheduleFirstPolls(source: String) {
        var random = SystemRandomNumberGenerator()
        let delay = configuration.pollSchedule.firstPoll(
            model: latencies.model(for: source),
            expectingCallback: configuration.callbackURL != nil,
            using: &random
        )
        do {
            try database.bringFirstPollsForward(source: source, delay: delay)
            pollerWakeup.signal()
        } catch {
            logger.error(
                "could not reschedule polls",
                metadata: ["oxylabs_source": "\(source)", "error": "\(error)"]
            )
        }
    }

    /// When to poll a job again that is still pending `elapsed` after submission.
    func nextPoll(elapsed: TimeInterval, now: Date) -> Date {
        var random = SystemRandomNumberGenerator()
        return now.addingTimeInterval(
            configuration.pollSchedule.nextPoll(elapsed: .milliseconds(Int64(elapsed * 1000)), using: &random).seconds
        )
    }
}
