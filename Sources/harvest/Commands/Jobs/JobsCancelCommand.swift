import ArgumentParser
import Foundation
import HarvestCore
import HarvestStore

/// `harvest jobs cancel ID`: stop working on a job that is not final yet.
struct JobsCancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Stop working on a queued or pending job.",
        discussion: """
            Oxylabs has no cancel call: a job already sent still runs there, but Harvest stops polling it and
            ignores its results. Example: harvest jobs cancel 42
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var target: JobIDArgument

    func run() throws {
        let job = try database.open().cancelJob(id: target.id, now: Date())
        let out = Output.standard
        if output.json { try out.json(JobOutput(job)) } else { out.line("job \(job.id) cancelled") }
        out.flush()
    }
}
