import HarvestChaos
import Testing

/// What the job checks see as broken, on small hand-made observations.
struct JobChecksTests {
    /// Job 1 done (raw, one page), job 2 done after a fault (raw and png, two pages), job 3 faulted on each of
    /// its four submissions, job 4 re-submitted once after a crash in the submit gap.
    private struct Fixture {
        var jobs = [
            ObservedJob(id: 1, status: "done", remoteID: "101", finalTransitions: 1, remoteIDs: ["101"]),
            ObservedJob(
                id: 2,
                status: "done",
                remoteID: "202",
                resultTypes: ["raw", "png"],
                faults: 1,
                finalTransitions: 1,
                remoteIDs: ["201", "202"]
            ),
            ObservedJob(
                id: 3,
                status: "faulted",
                remoteID: "304",
                faults: 4,
                finalTransitions: 1,
                remoteIDs: ["301", "302", "303", "304"]
            ),
            ObservedJob(
                id: 4,
                status: "done",
                remoteID: "402",
                resubmissions: 1,
                finalTransitions: 1,
                remoteIDs: ["402"]
            ),
        ]
        var results = [
            ObservedResult(jobID: 1, type: "raw", page: 1, bytes: 10, contentBytes: 10, belongsToJob: true),
            ObservedResult(jobID: 2, type: "raw", page: 1, bytes: 10, contentBytes: 10, belongsToJob: true),
            ObservedResult(jobID: 2, type: "raw", page: 2, bytes: 10, contentBytes: 10, belongsToJob: true),
            ObservedResult(jobID: 2, type: "png", page: 1, bytes: 10, contentBytes: 10, belongsToJob: true),
            ObservedResult(jobID: 2, type: "png", page: 2, bytes: 10, contentBytes: 10, belongsToJob: true),
            ObservedResult(jobID: 4, type: "raw", page: 1, bytes: 10, contentBytes: 10, belongsToJob: true),
        ]
        var upstream = [
            UpstreamJob(id: "101", status: "done"),
            UpstreamJob(id: "201", status: "faulted"),
            UpstreamJob(id: "202", status: "done", pages: 2),
            UpstreamJob(id: "301", status: "faulted"),
            UpstreamJob(id: "302", status: "faulted"),
            UpstreamJob(id: "303", status: "faulted"),
            UpstreamJob(id: "304", status: "faulted"),
            // The first copy of job 4, sent by a process that died before recording it.
            UpstreamJob(id: "401", status: "done", clientNotes: "harvest job 4"),
            UpstreamJob(id: "402", status: "done", clientNotes: "harvest job 4"),
        ]

        var violations: [Violation] {
            JobChecks.violations(jobs: jobs, results: results, upstream: upstream)
        }
    }

    @Test func aCleanRunHasNoViolation() {
        #expect(Fixture().violations == [])
    }

    @Test func aJobNotFinalOrFinalTwiceOrStillLeasedIsAViolation() {
        var fixture = Fixture()
        fixture.jobs[0].status = "pending"
        fixture.jobs[1].finalTransitions = 2
        fixture.jobs[2].leaseOwner = "host:1:2"
        let found = fixture.violations.map(\.invariant)
        #expect(found.contains("job final"))
        #expect(found.contains("job final exactly once"))
        #expect(found.contains("no leases left"))
    }

    @Test func aJobWhoseStateDiffersFromOxylabsIsAViolation() {
        var fixture = Fixture()
        fixture.upstream[0].status = "faulted"
        #expect(fixture.violations.contains { $0.invariant == "job matches the truth" && $0.detail.contains("job 1") })
    }

    @Test func aMissingDoubledForeignOrEmptyResultIsAViolation() {
        var missing = Fixture()
        missing.results.remove(at: 2)
        #expect(missing.violations.contains { $0.detail.contains("missing raw 2") })

        var extra = Fixture()
        extra.results.append(
            ObservedResult(jobID: 3, type: "raw", page: 1, bytes: 1, contentBytes: 1, belongsToJob: true)
        )
        #expect(extra.violations.contains { $0.detail.contains("on a faulted job") })

        var foreign = Fixture()
        foreign.results[0].belongsToJob = false
        #expect(foreign.violations.contains { $0.invariant == "result matches the truth" })

        var empty = Fixture()
        empty.results[0].bytes = 0
        empty.results[0].contentBytes = 0
        #expect(empty.violations.contains { $0.invariant == "result stored once" })
    }

    @Test func upstreamJobsNoLocalJobAccountsForAreViolations() {
        // A second stray copy: more strays than re-submissions.
        var doubled = Fixture()
        doubled.upstream.append(UpstreamJob(id: "403", status: "done", clientNotes: "harvest job 4"))
        #expect(doubled.violations.contains { $0.detail.contains("more than the 1 re-submission") })

        // A stray naming a job that was never re-submitted (a batch retried without being counted).
        var uncounted = Fixture()
        uncounted.jobs[3].resubmissions = 0
        uncounted.jobs[0].resubmissions = 1
        #expect(uncounted.violations.contains { $0.detail.contains("names jobs that were not re-submitted") })

        // A submission whose remote id was never recorded.
        var unrecorded = Fixture()
        unrecorded.jobs[1].remoteIDs = ["202"]
        #expect(unrecorded.violations.contains { $0.invariant == "every submission recorded" })
    }
}
