/// What the run did to the services, kept as it happens: the kills, the crash points armed and hit, the
/// jobs a dead process left in the submit gap, and problems seen on the way (a command that failed, a
/// service that exited on its own).
public struct ChaosLedger: Sendable, Equatable {
    /// Kills by kind: `sigkill` (the runner's), `crashpoint` (a process that killed itself at an armed
    /// point), `sigterm` (the graceful stops at the end).
    public private(set) var kills: [String: Int] = [:]
    /// Restarts armed with each crash point, and how many of those fired.
    public private(set) var crashpointsArmed: [String: Int] = [:]
    public private(set) var crashpointsHit: [String: Int] = [:]
    /// Jobs found `submitting` under a dead process's lease: sent (or about to be) with no answer recorded.
    /// Each is submitted again once the lease expires, so re-submissions can never exceed this.
    public private(set) var jobsInSubmitGap = 0
    /// Process deaths that left at least one such job.
    public private(set) var killsInSubmitGap = 0
    /// Jobs and enqueue commands queued during the run.
    public private(set) var jobsEnqueued = 0
    public private(set) var enqueues = 0
    /// Problems seen during the run, each a violation.
    public private(set) var problems: [Violation] = []

    public init() {}

    /// A process was killed (or killed itself); `submitting` is the number of jobs it left in the submit gap.
    public mutating func recordDeath(kind: String, crashpoint: String? = nil, submitting: Int) {
        kills[kind, default: 0] += 1
        if let crashpoint { crashpointsHit[crashpoint, default: 0] += 1 }
        jobsInSubmitGap += submitting
        if submitting > 0 { killsInSubmitGap += 1 }
    }

    /// A process stopped gracefully; jobs it left `submitting` (a request cut off by the grace period) count
    /// as jobs in the submit gap too.
    public mutating func recordStop(submitting: Int) {
        kills["sigterm", default: 0] += 1
        jobsInSubmitGap += submitting
        if submitting > 0 { killsInSubmitGap += 1 }
    }

    public mutating func recordArmed(_ crashpoint: String) {
        crashpointsArmed[crashpoint, default: 0] += 1
    }

    public mutating func recordEnqueue(jobs: Int) {
        enqueues += 1
        jobsEnqueued += jobs
    }

    public mutating func recordProblem(_ invariant: String, _ detail: String) {
        problems.append(Violation(invariant, detail))
    }

    /// Every kill that ended a process abruptly (the runner's SIGKILLs and the crash points).
    public var abruptKills: Int {
        kills.filter { $0.key != "sigterm" }.values.reduce(0, +)
    }
}

/// One broken invariant: which, and the evidence.
public struct Violation: Sendable, Equatable, CustomStringConvertible {
    public var invariant: String
    public var detail: String

    public init(_ invariant: String, _ detail: String) {
        self.invariant = invariant
        self.detail = detail
    }

    public var description: String { "\(invariant): \(detail)" }
}
