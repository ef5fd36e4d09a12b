import ArgumentParser
import Foundation
import HarvestCore
import HarvestStore

/// `harvest jobs list`: the newest jobs first.
struct JobsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List jobs, newest first.",
        discussion: "Example: harvest jobs list --status pending --limit 20"
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Only jobs in this status: queued, submitting, pending, done, faulted, failed, cancelled.")
    var status: String?

    @Option(help: "At most this many jobs (1 to 1000000).")
    var limit = 50

    func validate() throws {
        guard (1...1_000_000).contains(limit) else {
            throw ValidationError("bad --limit \(limit): expected 1 to 1000000")
        }
    }

    func run() throws {
        let status = try status.map { text throws(InputError) in try JobStatus(parsing: text) }
        let jobs = try database.open().jobs(status: status, limit: limit)
        let out = Output.standard
        if output.json {
            try out.json(jobs.map(JobOutput.init))
        } else {
            var table = TextTable(["ID", "STATUS", "SOURCE", "TARGET", "ATTEMPTS", "POLLS", "CREATED", "LAST ERROR"])
            for job in jobs {
                table.append([
                    String(job.id), job.status.rawValue, job.source, JobOutput.target(job), String(job.attempts),
                    String(job.polls), job.createdAt, job.lastError ?? "",
                ])
            }
            out.line(jobs.isEmpty ? "no jobs" : table.render())
        }
        out.flush()
    }
}
