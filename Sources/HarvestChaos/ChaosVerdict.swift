/// Every check of a run, in one place: what `harvest-chaos` reports and exits on.
public enum ChaosVerdict {
    public static func violations(
        database: DatabaseObservation,
        upstream: UpstreamObservation,
        ledger: ChaosLedger
    ) -> [Violation] {
        ServiceChecks.violations(database: database, upstream: upstream, ledger: ledger)
            + JobChecks.violations(jobs: database.jobs, results: database.results, upstream: upstream.jobs)
            + TaskChecks.violations(tasks: database.tasks, windows: database.windows, upstream: upstream.tasks)
    }
}
