import ArgumentParser
import Foundation
import HarvestCore
import HarvestStore

/// `harvest prune --results-older-than 30d`: drops old result contents, keeps the jobs.
struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Drop the contents of old Oxylabs results, keeping the jobs and the results' rows.",
        discussion: """
            Result pages fetched longer ago than the given age lose their content; their rows (type, \
            page, status, URL, size) and the jobs stay, marked with pruned_at. Runs in small transactions, \
            so a running service is not held up. The file shrinks only after VACUUM (harvest query cannot \
            run it; use sqlite3 while the service is stopped). Example: harvest prune --results-older-than 30d
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "Age of the results to prune, such as 30d or 12h (at most 366d).")
    var resultsOlderThan: String

    @Flag(name: .long, help: "Only count what would be pruned.")
    var dryRun = false

    func validate() throws {
        _ = try age()
    }

    private func age() throws -> Duration {
        do {
            return try DurationInput.parse(resultsOlderThan, flag: "--results-older-than")
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() throws {
        let now = Date()
        let cutoff = now.addingTimeInterval(-(try age().seconds))
        let summary = try database.open().pruneResults(fetchedBefore: cutoff, dryRun: dryRun, now: now)
        let out = Output.standard
        if output.json {
            try out.json(summary)
        } else {
            out.line(
                "\(dryRun ? "would prune" : "pruned") \(summary.results) result page(s) of \(summary.jobs) job(s), "
                    + "\(summary.bytes) bytes of content fetched before \(UTCTime.format(cutoff))"
            )
        }
        out.flush()
    }
}
