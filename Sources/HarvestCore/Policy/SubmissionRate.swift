import Foundation

/// The submissions per second Harvest allows itself: the limit Oxylabs announces, or, when it announces
/// none, a rate found by probing (additive increase, multiplicative decrease).
///
/// The `x-ratelimit-*` headers are documented, but a server may send none or name them otherwise; a client
/// that waits for them stays at its first guess forever (10/s where 100/s is allowed). So the rate grows
/// while the submissions it allows are all used, by `increasePerSecond` per second of such use (a tenth of
/// that close to the rate a 429 last refused), and is cut by `decrease` on a 429. An announced limit caps
/// it. Correctness never rests on the rate: one too high costs refused requests, one too low time.
public struct SubmissionRate: Sendable, Equatable {
    /// The constants of the probe.
    public struct Tuning: Sendable, Equatable {
        /// Growth of the rate per second of full use, in submissions per second.
        public var increasePerSecond = 10.0
        /// The factor a 429 multiplies the rate by.
        public var decrease = 0.5
        /// Above this share of the rate last refused, growth is a tenth as fast.
        public var carefulShare = 0.9
        public var minimum = 1.0
        /// The ceiling of a rate that no header caps.
        public var maximum = 1000.0

        public init() {}
    }

    /// Submissions per second in use.
    public private(set) var current: Double
    /// The limit the last rate headers announced; nil while none were seen (then the rate is probed).
    public private(set) var announced: Int?
    /// The rate in use when the last 429 came; nil before any.
    public private(set) var refusedAt: Double?
    public let tuning: Tuning
    private var lastCut: Date?

    public init(initial: Double, tuning: Tuning = Tuning()) {
        self.tuning = tuning
        current = min(max(initial, tuning.minimum), tuning.maximum)
    }

    /// `jobs` were accepted. `saturated` says they were sent while every submission allowed was used:
    /// only then is there evidence that more would be used, so only then does the rate grow, by
    /// `increasePerSecond / current` per job (at full use, `current` jobs a second: `increasePerSecond`).
    public mutating func accepted(jobs: Int, saturated: Bool) {
        guard saturated, jobs > 0 else { return }
        let careful = refusedAt.map { current >= tuning.carefulShare * $0 } ?? false
        let growth = careful ? tuning.increasePerSecond / 10 : tuning.increasePerSecond
        let ceiling = announced.map(Double.init) ?? tuning.maximum
        current = min(ceiling, max(current, current + Double(jobs) * growth / current))
    }

    /// An answer's headers announce `limit` per second: a new limit is taken as the rate at once; the same
    /// one again only caps it (a rate cut by a 429 grows back to it).
    public mutating func announce(_ limit: Int) {
        guard limit > 0 else { return }
        current = announced == limit ? min(current, Double(limit)) : Double(limit)
        announced = limit
    }

    /// A 429 refused a request sent at `sentAt`: the rate is cut, once per round. A request sent before
    /// the last cut took effect was sent at the old rate and says nothing new. Returns whether it was cut.
    @discardableResult
    public mutating func refused(sentAt: Date, now: Date) -> Bool {
        if let lastCut, sentAt < lastCut { return false }
        refusedAt = current
        current = max(tuning.minimum, current * tuning.decrease)
        lastCut = now
        return true
    }
}
