/// The invariants of the services as a whole: no lease left once every process stopped, no token request
/// storm, re-submissions only from the submit gap.
public enum ServiceChecks {
    /// Token grants allowed per token lifetime (DESIGN.md: refreshed once, however many workers need it).
    public static let grantsPerLifetime = 1.2

    public static func violations(
        database: DatabaseObservation,
        upstream: UpstreamObservation,
        ledger: ChaosLedger
    ) -> [Violation] {
        var violations = ledger.problems
        for lease in database.leases {
            violations.append(
                Violation("no leases left", "\(lease.resource) held by \(lease.owner) until \(lease.expiresAt)")
            )
        }
        // One grant per lifetime and 20% slack, plus the first grant, plus one for each process killed
        // between obtaining a grant and storing it (the grant died with it).
        let killedMidGrant = ledger.crashpointsHit["after-grant-before-store", default: 0]
        let allowed = Int((grantsPerLifetime * upstream.tokenLifetimes).rounded(.down)) + 1 + killedMidGrant
        if upstream.tokenGrants > allowed {
            violations.append(
                Violation(
                    "no token request storm",
                    "\(upstream.tokenGrants) token grants in \(format(upstream.tokenLifetimes)) token lifetimes "
                        + "(at most \(allowed))"
                )
            )
        }
        // Re-submissions come from the submit gap (bounded by the jobs dead processes left `submitting`)
        // or from answers lost after Oxylabs accepted them (each recorded as such in the event log).
        let (gap, _) = resubmissions(database.jobs)
        if gap > ledger.jobsInSubmitGap {
            violations.append(
                Violation(
                    "re-submissions only from the submit gap",
                    "\(gap) re-submissions from the submit gap, but dead processes left only "
                        + "\(ledger.jobsInSubmitGap) job(s) submitting"
                )
            )
        }
        return violations
    }

    /// Re-submissions from the submit gap, and those of answers lost after Oxylabs accepted them.
    public static func resubmissions(_ jobs: [ObservedJob]) -> (gap: Int, lostAnswers: Int) {
        let lost = jobs.reduce(0) { $0 + $1.lostAnswerResubmissions }
        return (jobs.reduce(0) { $0 + $1.resubmissions } - lost, lost)
    }

    static func format(_ value: Double) -> String {
        String(Double(Int(value * 10)) / 10)
    }
}
