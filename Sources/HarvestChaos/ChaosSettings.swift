import Foundation
import HarvestSimulator
import HarvestStore

/// The knobs of one chaos run: how long, how hard, and the fault rates of both fakes.
///
/// The defaults stress every recovery path while letting work finish: about one upstream request in ten
/// fails in some way, tokens are revoked every few seconds, a service is killed every few seconds and
/// restarted at once, yet no job meets twelve failures in a row.
public struct ChaosSettings: Sendable, Equatable {
    /// How long the two services run under chaos before the run winds down.
    public var duration: Duration = .seconds(120)
    /// Seeds the fakes' data and latencies and the run's schedule of kills and enqueues.
    public var seed: UInt64 = 1
    /// `--lease` of every service: short, so that work a killed process held is taken over quickly.
    public var lease: Duration = .seconds(3)
    /// Seconds between two kills, drawn uniformly from this range.
    public var killInterval: ClosedRange<Double> = 1.5...6
    /// Share of restarts armed with a crash point (the others are plain restarts after a random kill).
    public var crashpointShare = 0.4
    /// Most passes through an armed crash point let by before it fires (`HARVEST_CRASHPOINT_SKIP`).
    public var maximumCrashpointSkip = 3
    /// Seconds between two enqueues, drawn uniformly from this range.
    public var enqueueInterval: ClosedRange<Double> = 0.3...1.2
    /// `--every` of every task: short, so that live growth is followed during the run; the live task's a
    /// little longer, so that its windows span several pages (the mid-window crash point).
    public var taskInterval = "4s"
    public var liveTaskInterval = "8s"
    /// Storage-time lag and look-back of the services. The lag is shorter than the late commits' delay, so
    /// the look-back re-check is what finds late rows.
    public var safetyLag: Duration = .seconds(2)
    public var lookBack: Duration = .seconds(60)
    /// `--shutdown-grace` of the services stopped at the end.
    public var shutdownGrace = "20s"

    // MARK: The fakes

    /// Every access token is refused once this old, whatever its `expires_in` says.
    public var forcedTokenExpiry: Duration = .seconds(8)
    public var largeTaskRows = 40_000
    public var rowsPerTask = 1_500
    public var liveRowsPerSecond = 300.0
    public var liveLateCommitShare = 0.2
    public var liveCommitDelay: Duration = .seconds(4)
    /// Oxylabs submissions per second: low enough that bursts of batches meet 429s.
    public var submissionsPerSecond = 10
    public var faultedShare = 0.05
    public var callbackLossShare = 0.2
    public var callbackDuplicateShare = 0.2
    public var oxylabsFaults = FaultRates(
        serverError: 0.04,
        connectionReset: 0.02,
        slowResponse: 0.03,
        slowDelay: .milliseconds(1500),
        malformedBody: 0.03
    )
    public var octoparseFaults = FaultRates(
        serverError: 0.03,
        connectionReset: 0.02,
        slowResponse: 0.02,
        slowDelay: .milliseconds(1500),
        malformedBody: 0.02
    )

    public init() {}

    /// The fakes' configuration: every fault on, the live task growing with late commits.
    public var simulator: SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        configuration.seed = seed
        configuration.oxylabs.latencyMedian = .milliseconds(1200)
        configuration.oxylabs.latencySigma = 0.6
        configuration.oxylabs.faultedShare = faultedShare
        configuration.oxylabs.submissionsPerSecond = submissionsPerSecond
        configuration.oxylabs.callbackLossShare = callbackLossShare
        configuration.oxylabs.callbackDuplicateShare = callbackDuplicateShare
        configuration.oxylabs.faults = oxylabsFaults
        configuration.octoparse.forcedTokenExpiry = forcedTokenExpiry
        configuration.octoparse.largeTaskRows = largeTaskRows
        configuration.octoparse.rowsPerTask = rowsPerTask
        configuration.octoparse.live = true
        configuration.octoparse.liveRowsPerSecond = liveRowsPerSecond
        configuration.octoparse.liveLateCommitShare = liveLateCommitShare
        configuration.octoparse.liveCommitDelay = liveCommitDelay
        configuration.octoparse.faults = octoparseFaults
        return configuration
    }

    /// The flags every `harvest serve` of the run shares (the listen address comes on top).
    public var serveArguments: [String] {
        [
            "--lease", Self.text(lease), "--safety-lag", Self.text(safetyLag), "--look-back", Self.text(lookBack),
            "--shutdown-grace", shutdownGrace, "--octoparse-rate", "2000", "--log-level", "info",
        ]
    }

    /// The crash points a restart may be armed with: every named instant the run keeps reaching. The
    /// not-exported queue is drained in the first seconds, so its point arms the first start of both
    /// services instead (``firstCrashpoint``).
    public static let crashpoints: [String] = Crashpoint.allCases.filter { $0 != .afterExportCommit }.map(\.rawValue)
    public static let firstCrashpoint = Crashpoint.afterExportCommit.rawValue

    /// How long a service armed with a crash point is spared from random kills, so that it can reach it.
    public var armedGrace: Duration = .seconds(20)

    /// A duration as `harvest` reads it (`250ms`, `3s`).
    public static func text(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}
