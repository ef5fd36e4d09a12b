import HarvestChaos
import Testing

/// Leases, token grants and re-submissions, checked against what the run did.
struct ServiceChecksTests {
    private func violations(
        leases: [ObservedLease] = [],
        grants: Int = 10,
        lifetimes: Double = 10,
        resubmissions: Int = 0,
        ledger: ChaosLedger = ChaosLedger()
    ) -> [Violation] {
        var database = DatabaseObservation()
        database.leases = leases
        database.jobs = [ObservedJob(id: 1, status: "done", resubmissions: resubmissions)]
        var upstream = UpstreamObservation()
        upstream.tokenGrants = grants
        upstream.tokenLifetimes = lifetimes
        return ServiceChecks.violations(database: database, upstream: upstream, ledger: ledger)
    }

    @Test func aQuietEndHasNoViolation() {
        #expect(violations() == [])
    }

    @Test func aLeaseLeftIsAViolation() {
        let lease = ObservedLease(resource: "task:x", owner: "host:1:2", expiresAt: "2026-01-01T00:00:00.000Z")
        #expect(violations(leases: [lease]).map(\.invariant) == ["no leases left"])
    }

    @Test func moreThanOnePointTwoGrantsPerTokenLifetimeIsAStorm() {
        // 1.2 × 10 lifetimes, plus the first grant.
        #expect(violations(grants: 13, lifetimes: 10) == [])
        #expect(violations(grants: 14, lifetimes: 10).map(\.invariant) == ["no token request storm"])
        // A process killed between a grant and storing it costs one more.
        var ledger = ChaosLedger()
        ledger.recordDeath(kind: "crashpoint", crashpoint: "after-grant-before-store", submitting: 0)
        #expect(violations(grants: 14, lifetimes: 10, ledger: ledger) == [])
    }

    @Test func reSubmissionsBeyondTheJobsLeftInTheSubmitGapAreAViolation() {
        var ledger = ChaosLedger()
        ledger.recordDeath(kind: "sigkill", submitting: 2)
        ledger.recordDeath(kind: "sigkill", submitting: 0)
        #expect(ledger.killsInSubmitGap == 1 && ledger.jobsInSubmitGap == 2 && ledger.abruptKills == 2)
        #expect(violations(resubmissions: 2, ledger: ledger) == [])
        #expect(
            violations(resubmissions: 3, ledger: ledger).map(\.invariant) == ["re-submissions only from the submit gap"]
        )
    }

    @Test func problemsSeenDuringTheRunAreViolations() {
        var ledger = ChaosLedger()
        ledger.recordProblem("service keeps running", "serve A ended with exit status 1")
        #expect(violations(ledger: ledger).map(\.invariant) == ["service keeps running"])
    }
}

extension ServiceChecksTests {
    @Test func reSubmissionsOfLostAnswersDoNotCountAgainstTheSubmitGap() {
        var database = DatabaseObservation()
        database.jobs = [
            ObservedJob(id: 1, status: "done", resubmissions: 3, lostAnswerResubmissions: 2),
            ObservedJob(id: 2, status: "done", resubmissions: 1, lostAnswerResubmissions: 1),
        ]
        #expect(ServiceChecks.resubmissions(database.jobs) == (1, 3))
        var ledger = ChaosLedger()
        ledger.recordDeath(kind: "crashpoint", crashpoint: "after-submit-before-commit", submitting: 1)
        #expect(ServiceChecks.violations(database: database, upstream: UpstreamObservation(), ledger: ledger) == [])
    }
}
