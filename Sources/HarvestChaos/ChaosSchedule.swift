/// The run's decisions, drawn from its seed: when to kill which service and how to restart it, when to
/// enqueue which jobs. Same seed, same sequence of decisions (the moments they land on still depend on how
/// fast the machine is).
public struct ChaosSchedule: Sendable {
    /// One kill: after `delay` seconds, SIGKILL service `target` (0 or 1) and restart it, armed with
    /// `crashpoint` when there is one.
    public struct Kill: Sendable, Equatable {
        public var delay: Double
        public var target: Int
        public var crashpoint: ArmedCrashpoint?
    }

    /// A crash point to arm a restarted service with: it kills itself on pass `skip + 1` through `name`.
    public struct ArmedCrashpoint: Sendable, Equatable {
        public var name: String
        public var skip: Int

        public init(name: String, skip: Int) {
            self.name = name
            self.skip = skip
        }

        /// The environment that arms it.
        public var environment: [String: String] {
            ["HARVEST_CRASHPOINT": name, "HARVEST_CRASHPOINT_SKIP": "\(skip)"]
        }
    }

    /// One enqueue: after `delay` seconds, queue `group`.
    public struct Enqueue: Sendable, Equatable {
        public var delay: Double
        public var group: JobGroup
    }

    private let settings: ChaosSettings
    private var killRandom: SplitMix64
    private var enqueueRandom: SplitMix64
    private var enqueued = 0
    private var deck: [String] = []

    public init(settings: ChaosSettings) {
        self.settings = settings
        // Two streams, so that the kills do not change when the job mix does.
        killRandom = SplitMix64(seed: settings.seed ^ 0x6B11_1500)
        enqueueRandom = SplitMix64(seed: settings.seed ^ 0x0E0_0E0E)
    }

    /// The next kill.
    public mutating func nextKill() -> Kill {
        let delay = killRandom.uniform(in: settings.killInterval)
        let target = Int(killRandom.next() % 2)
        var crashpoint: ArmedCrashpoint?
        if killRandom.unit() < settings.crashpointShare {
            crashpoint = ArmedCrashpoint(
                name: nextCrashpoint(),
                skip: Int(killRandom.next() % UInt64(settings.maximumCrashpointSkip + 1))
            )
        }
        return Kill(delay: delay, target: target, crashpoint: crashpoint)
    }

    /// The crash points are dealt from a shuffled deck, so that a short run arms each of them.
    private mutating func nextCrashpoint() -> String {
        if deck.isEmpty { deck = ChaosSettings.crashpoints.shuffled(using: &killRandom) }
        return deck.removeLast()
    }

    /// The next enqueue.
    public mutating func nextEnqueue() -> Enqueue {
        let delay = enqueueRandom.uniform(in: settings.enqueueInterval)
        enqueued += 1
        return Enqueue(delay: delay, group: JobGroup.draw(number: enqueued, using: &enqueueRandom))
    }
}

/// A small, fast, seedable generator (SplitMix64): the schedule must not depend on the system's randomness.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in [0, 1).
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    public mutating func uniform(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }
}
