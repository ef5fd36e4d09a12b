/// The short report a run ends with: what was thrown at Harvest, what it harvested, what broke.
public struct ChaosReport: Sendable {
    public var seed: UInt64
    /// Time under chaos, and the whole run (start-up and the final idle run included), in seconds.
    public var chaosSeconds: Double
    public var totalSeconds: Double
    public var ledger: ChaosLedger
    public var database: DatabaseObservation
    public var upstream: UpstreamObservation
    public var faults: [(provider: String, kind: String, count: Int)]
    public var violations: [Violation]

    public init(
        seed: UInt64,
        chaosSeconds: Double,
        totalSeconds: Double,
        ledger: ChaosLedger,
        database: DatabaseObservation,
        upstream: UpstreamObservation,
        faults: [(provider: String, kind: String, count: Int)],
        violations: [Violation]
    ) {
        self.seed = seed
        self.chaosSeconds = chaosSeconds
        self.totalSeconds = totalSeconds
        self.ledger = ledger
        self.database = database
        self.upstream = upstream
        self.faults = faults
        self.violations = violations
    }

    /// The report, one topic a line; the violations (at most 50) at the end.
    public var text: String {
        var lines: [String] = []
        lines.append(
            "harvest-chaos: seed \(seed), \(seconds(chaosSeconds)) under chaos, \(seconds(totalSeconds)) in all"
        )
        let byStatus = Dictionary(grouping: database.jobs, by: \.status).mapValues(\.count)
        lines.append(
            "jobs          \(database.jobs.count) (\(counts(byStatus))), queued by \(ledger.enqueues) commands; "
                + "\(upstream.jobs.count) upstream"
        )
        lines.append("results       \(database.results.count) pages")
        let rows = database.tasks.reduce(0) { $0 + $1.rows.values.reduce(0, +) }
        let upstreamRows = upstream.tasks.reduce(0) { $0 + $1.rows.values.reduce(0, +) }
        let windows = database.windows.count
        lines.append(
            "rows          \(rows) in \(database.tasks.count) tasks, \(windows) windows; \(upstreamRows) upstream"
        )
        let abrupt = ledger.kills.filter { $0.key != "sigterm" }
        lines.append(
            "kills         \(ledger.abruptKills) (\(counts(abrupt))), then \(ledger.kills["sigterm", default: 0]) "
                + "graceful stops; \(ledger.killsInSubmitGap) deaths left \(ledger.jobsInSubmitGap) job(s) in the "
                + "submit gap"
        )
        let points = ledger.crashpointsArmed.keys.sorted().map {
            "\($0) \(ledger.crashpointsHit[$0, default: 0])/\(ledger.crashpointsArmed[$0, default: 0])"
        }
        lines.append("crash points  hit/armed: \(points.isEmpty ? "none" : points.joined(separator: ", "))")
        for provider in ["oxylabs", "octoparse"] {
            let line = faults.filter { $0.provider == provider }.map { "\($0.kind) \($0.count)" }
            lines.append("faults        \(provider): \(line.joined(separator: ", "))")
        }
        lines.append(
            "tokens        \(upstream.tokenGrants) grants in \(ServiceChecks.format(upstream.tokenLifetimes)) "
                + "token lifetimes"
        )
        let (gap, lost) = ServiceChecks.resubmissions(database.jobs)
        lines.append(
            "re-submitted  \(gap) from the submit gap (at most \(ledger.jobsInSubmitGap): the jobs dead processes left "
                + "submitting), \(lost) after an accepted submission's answer was lost"
        )
        lines.append("violations    \(violations.count)")
        for violation in violations.prefix(50) { lines.append("  - \(violation)") }
        if violations.count > 50 { lines.append("  … and \(violations.count - 50) more") }
        return lines.joined(separator: "\n")
    }

    private func counts(_ counts: [String: Int]) -> String {
        counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    private func seconds(_ value: Double) -> String {
        let whole = Int(value.rounded())
        return whole >= 60 ? "\(whole / 60)m\(whole % 60)s" : "\(whole)s"
    }
}
