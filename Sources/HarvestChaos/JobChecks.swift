/// The Oxylabs invariants (DESIGN.md, "Nothing is lost, nothing is doubled"), checked against the fake's
/// ground truth: every job final exactly once, in the state Oxylabs reports for it; every result page
/// stored once and the job's own; every upstream job accounted for by a local job or a counted
/// re-submission.
public enum JobChecks {
    static let finalStatuses: Set<String> = ["done", "faulted"]

    public static func violations(
        jobs: [ObservedJob],
        results: [ObservedResult],
        upstream: [UpstreamJob]
    ) -> [Violation] {
        var violations: [Violation] = []
        let truth = Dictionary(upstream.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let resultsByJob = Dictionary(grouping: results, by: \.jobID)
        for job in jobs {
            violations += check(job, truth: truth, results: resultsByJob[job.id] ?? [])
        }
        let known = Set(jobs.map(\.id))
        for (jobID, stray) in resultsByJob where !known.contains(jobID) {
            violations.append(Violation("result stored once", "\(stray.count) result(s) of unknown job \(jobID)"))
        }
        violations += accounting(jobs: jobs, upstream: upstream)
        return violations
    }

    private static func check(
        _ job: ObservedJob,
        truth: [String: UpstreamJob],
        results: [ObservedResult]
    ) -> [Violation] {
        var violations: [Violation] = []
        func violation(_ invariant: String, _ detail: String) {
            violations.append(Violation(invariant, "job \(job.id): \(detail)"))
        }
        guard finalStatuses.contains(job.status) else {
            violation("job final", "\(job.status)\(job.lastError.map { " (\($0))" } ?? "")")
            return violations
        }
        if job.finalTransitions != 1 {
            violation("job final exactly once", "\(job.finalTransitions) transitions into a final state")
        }
        if let owner = job.leaseOwner { violation("no leases left", "still leased to \(owner)") }
        let expectedSubmissions = job.faults + (job.status == "done" ? 1 : 0)
        if job.remoteIDs.count != expectedSubmissions {
            violation(
                "every submission recorded",
                "\(job.remoteIDs.count) remote ids recorded for \(job.faults) fault(s) and status \(job.status)"
            )
        }
        for id in job.remoteIDs where truth[id] == nil {
            violation("job matches the truth", "remote id \(id) unknown to Oxylabs")
        }
        guard let remoteID = job.remoteID, let remote = truth[remoteID] else {
            violation("job matches the truth", "\(job.status) without a remote job Oxylabs knows")
            return violations
        }
        if remote.status != job.status {
            violation("job matches the truth", "\(job.status) here, \(remote.status) at Oxylabs (\(remoteID))")
        }
        guard job.status == "done" else {
            if !results.isEmpty { violation("result stored once", "\(results.count) result(s) on a \(job.status) job") }
            return violations
        }
        var expected: Set<String> = []
        for type in job.resultTypes {
            for page in 1...max(1, remote.pages) { expected.insert("\(type) \(page)") }
        }
        var seen: [String: Int] = [:]
        for result in results {
            seen["\(result.type) \(result.page)", default: 0] += 1
            if !result.belongsToJob {
                violation("result matches the truth", "\(result.type) page \(result.page) is not \(remoteID)'s")
            }
            if result.bytes != result.contentBytes || result.bytes == 0 {
                violation(
                    "result stored once",
                    "\(result.type) page \(result.page): \(result.bytes) bytes recorded, \(result.contentBytes) stored"
                )
            }
        }
        let missing = expected.subtracting(seen.keys).sorted()
        let unexpected = Set(seen.keys).subtracting(expected).sorted()
        let doubled = seen.filter { $0.value > 1 }.keys.sorted()
        if !missing.isEmpty { violation("result stored once", "missing \(missing.joined(separator: ", "))") }
        if !unexpected.isEmpty { violation("result stored once", "unexpected \(unexpected.joined(separator: ", "))") }
        if !doubled.isEmpty { violation("result stored once", "stored twice: \(doubled.joined(separator: ", "))") }
        return violations
    }

    /// Each upstream job belongs to exactly one local job. The only strays are re-submissions' first copies
    /// (a process died between a submit and its commit): never more than the jobs re-submitted, and their
    /// `client_notes` name only re-submitted jobs.
    private static func accounting(jobs: [ObservedJob], upstream: [UpstreamJob]) -> [Violation] {
        var violations: [Violation] = []
        var owner: [String: Int64] = [:]
        for job in jobs {
            for id in job.remoteIDs {
                if let other = owner[id], other != job.id {
                    violations.append(
                        Violation("job final exactly once", "remote id \(id) recorded on jobs \(other) and \(job.id)")
                    )
                }
                owner[id] = job.id
            }
        }
        let resubmitted = Set(jobs.filter { $0.resubmissions > 0 }.map(\.id))
        let resubmissions = jobs.reduce(0) { $0 + $1.resubmissions }
        let strays = upstream.filter { owner[$0.id] == nil }
        if strays.count > resubmissions {
            violations.append(
                Violation(
                    "upstream jobs accounted for",
                    "\(strays.count) upstream job(s) belong to no local job, more than the \(resubmissions) "
                        + "re-submission(s) counted"
                )
            )
        }
        for stray in strays where stray.namedJobs.isEmpty || !Set(stray.namedJobs).isSubset(of: resubmitted) {
            violations.append(
                Violation(
                    "upstream jobs accounted for",
                    "upstream job \(stray.id) (\(stray.clientNotes ?? "no client_notes")) is no job's and names "
                        + "jobs that were not re-submitted"
                )
            )
        }
        let faultedUpstream = upstream.filter { $0.status == "faulted" && owner[$0.id] != nil }.count
        let faultsCounted = jobs.reduce(0) { $0 + $1.faults }
        if faultedUpstream != faultsCounted {
            violations.append(
                Violation(
                    "job matches the truth",
                    "Oxylabs faulted \(faultedUpstream) of our jobs' submissions; \(faultsCounted) faults counted"
                )
            )
        }
        return violations
    }
}
