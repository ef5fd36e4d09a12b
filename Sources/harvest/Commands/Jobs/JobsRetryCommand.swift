import ArgumentParser
import Foundation
import HarvestStore

/// `harvest jobs retry ID`: queue a failed or faulted job again.
struct JobsRetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Queue a failed or faulted job again.",
        discussion: "The job is submitted anew by the service. Example: harvest jobs retry 42"
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var target: JobIDArgument

    func run() throws {
        let job = try database.open().retryJob(id: target.id, now: Date())
        let out = Output.standard
        if output.json { try out.json(JobOutput(job)) } else { out.line("job \(job.id) queued again") }
        out.flush()
    }
}
