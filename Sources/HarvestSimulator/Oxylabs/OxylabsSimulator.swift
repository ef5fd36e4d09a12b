import Foundation
import HarvestCore
import HeapModule
import Synchronization

/// An in-process fake of the Oxylabs Web Scraper API, Push-Pull integration, warts included.
///
/// Jobs finish after a log-normal latency drawn from the seed, some fault, results carry target-site
/// status codes (some 404), callbacks are POSTed on completion (with retries, optional loss and
/// duplicates), submissions are rate limited with `x-ratelimit-*` headers and 429s without
/// `Retry-After`, and finished jobs vanish (404) after the retention. The ground truth is readable in
/// process and under `/__sim/`.
public final class OxylabsSimulator: Sendable {
    public let configuration: OxylabsConfiguration
    public let stats = RequestStats()
    let random: SharedGenerator
    let now: @Sendable () -> Date
    let seed: UInt64
    private let state: Mutex<State>
    private let knobs: Mutex<RuntimeKnobs>

    struct State {
        var jobs: [String: SimulatedJob] = [:]
        var order: [String] = []
        var sequence: UInt64 = 0
        var latencies: SeededGenerator
        var bucketLevel = 0.0
        var bucketUpdatedAt: Date
        var callbacks = Heap<PendingCallback>()
    }

    /// The knobs that can change while the fake runs (`POST /__sim/faults`).
    struct RuntimeKnobs {
        var faults: FaultRates
        var callbackLossShare: Double
        var callbackDuplicateShare: Double
    }

    struct PendingCallback: Comparable {
        var due: Date
        var jobID: String
        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.due, lhs.jobID) < (rhs.due, rhs.jobID) }
    }

    /// - Parameters:
    ///   - now: the clock; tests may pass a manual one.
    public init(
        configuration: OxylabsConfiguration = .init(),
        seed: UInt64 = 1,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        self.seed = seed
        self.now = now
        random = SharedGenerator(seed: seed ^ 0x0A71_AB5)
        state = Mutex(State(latencies: SeededGenerator(seed: seed), bucketUpdatedAt: now()))
        knobs = Mutex(
            RuntimeKnobs(
                faults: configuration.faults,
                callbackLossShare: configuration.callbackLossShare,
                callbackDuplicateShare: configuration.callbackDuplicateShare
            )
        )
    }

    var faults: FaultRates { knobs.withLock { $0.faults } }

    /// Changes the fault rates and callback behaviour of a running fake.
    public func setFaults(_ faults: FaultRates, callbackLoss: Double? = nil, callbackDuplicates: Double? = nil) {
        knobs.withLock {
            $0.faults = faults
            if let callbackLoss { $0.callbackLossShare = callbackLoss }
            if let callbackDuplicates { $0.callbackDuplicateShare = callbackDuplicates }
        }
    }

    // MARK: Jobs

    /// Takes `count` submissions from the rate limit (a leaky bucket draining at `submissionsPerSecond`).
    /// Returns the remaining allowance, or nil when the request must be refused with 429.
    func admit(_ count: Int) -> Int? {
        let limit = Double(configuration.submissionsPerSecond)
        let now = now()
        return state.withLock { state in
            let elapsed = max(0, now.timeIntervalSince(state.bucketUpdatedAt))
            state.bucketLevel = max(0, state.bucketLevel - elapsed * limit)
            state.bucketUpdatedAt = now
            guard state.bucketLevel < limit else { return nil }
            state.bucketLevel += Double(count)
            return max(0, Int(limit - state.bucketLevel))
        }
    }

    /// Creates one job per parameter set and returns their job objects.
    func create(_ parameterSets: [[String: JSONValue]]) -> [JSONValue] {
        let now = now()
        let median =
            Double(configuration.latencyMedian.components.seconds)
            + Double(configuration.latencyMedian.components.attoseconds) / 1e18
        return state.withLock { state in
            parameterSets.map { parameters in
                state.sequence += 1
                let id = String(7_000_000_000_000_000_000 + (seed % 1_000_000_000) * 1_000_000_000 + state.sequence)
                let latency = median * Foundation.exp(configuration.latencySigma * state.latencies.normal())
                let faults = state.latencies.unit() < configuration.faultedShare
                let job = SimulatedJob(
                    id: id,
                    parameters: parameters,
                    createdAt: now,
                    finishesAt: now.addingTimeInterval(latency),
                    faults: faults
                )
                state.jobs[id] = job
                state.order.append(id)
                if job.callbackURL != nil {
                    state.callbacks.insert(PendingCallback(due: job.finishesAt, jobID: id))
                }
                return job.object(at: now)
            }
        }
    }

    /// The job, unless it is unknown or past its retention (then every call answers 404).
    func job(_ id: String, countingPoll: Bool = false, countingResults: Bool = false) -> SimulatedJob? {
        let now = now()
        let retention = configuration.retention
        return state.withLock { state in
            guard var job = state.jobs[id] else { return nil }
            if now > job.finishesAt.addingTimeInterval(Double(retention.components.seconds)) { return nil }
            if countingPoll { job.pollCount += 1 }
            if countingResults { job.resultRequests += 1 }
            state.jobs[id] = job
            return job
        }
    }

    // MARK: Callbacks

    /// Callbacks whose job has finished by `now`, removed from the queue; lost ones are dropped here.
    func takeDueCallbacks() -> [(job: SimulatedJob, copies: Int)] {
        let now = now()
        let (loss, duplicates) = knobs.withLock { ($0.callbackLossShare, $0.callbackDuplicateShare) }
        var due: [(SimulatedJob, Int)] = []
        state.withLock { state in
            while let next = state.callbacks.min, next.due <= now {
                state.callbacks.removeMin()
                guard let job = state.jobs[next.jobID] else { continue }
                if random.chance(loss) {
                    stats.record("callback.lost")
                    continue
                }
                let copies = random.chance(duplicates) ? 2 : 1
                if copies > 1 { stats.record("callback.duplicated") }
                due.append((job, copies))
            }
        }
        return due
    }

    func recordCallback(_ id: String, delivered: Bool) {
        state.withLock { state in
            state.jobs[id]?.callbackAttempts += 1
            if delivered { state.jobs[id]?.callbacksDelivered += 1 }
        }
        stats.record(delivered ? "callback.delivered" : "callback.failed")
    }

    /// When the next callback is due, if any.
    var nextCallbackDue: Date? {
        state.withLock { $0.callbacks.min?.due }
    }

    // MARK: Ground truth

    /// Every job the fake has accepted, in submission order, as the ground truth reports it.
    public func truth() -> [SimulatedJobTruth] {
        let now = now()
        return state.withLock { state in
            state.order.compactMap { id in
                state.jobs[id].map { SimulatedJobTruth(job: $0, now: now) }
            }
        }
    }
}

/// What the fake knows about one job, for tests and `/__sim/jobs`.
public struct SimulatedJobTruth: Sendable, Equatable {
    public var id: String
    public var status: String
    public var source: String
    public var url: String?
    public var query: String?
    public var clientNotes: String?
    public var pages: Int
    public var createdAt: Date
    public var finishesAt: Date
    public var polls: Int
    public var resultRequests: Int
    public var callbackAttempts: Int
    public var callbacksDelivered: Int

    init(job: SimulatedJob, now: Date) {
        id = job.id
        status = job.status(at: now)
        source = job.source
        url = job.url
        query = job.query
        clientNotes = job.parameters["client_notes"].flatMap(\.stringValue)
        pages = job.pages
        createdAt = job.createdAt
        finishesAt = job.finishesAt
        polls = job.pollCount
        resultRequests = job.resultRequests
        callbackAttempts = job.callbackAttempts
        callbacksDelivered = job.callbacksDelivered
    }

    var json: JSONValue {
        .object([
            "id": .string(id), "status": .string(status), "source": .string(source),
            "url": url.map(JSONValue.string) ?? .null, "query": query.map(JSONValue.string) ?? .null,
            "client_notes": clientNotes.map(JSONValue.string) ?? .null, "pages": .integer(Int64(pages)),
            "created_at": .string(UTCTime.format(createdAt)), "finishes_at": .string(UTCTime.format(finishesAt)),
            "polls": .integer(Int64(polls)), "result_requests": .integer(Int64(resultRequests)),
            "callback_attempts": .integer(Int64(callbackAttempts)),
            "callbacks_delivered": .integer(Int64(callbacksDelivered)),
        ])
    }
}
