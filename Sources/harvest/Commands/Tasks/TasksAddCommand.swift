import ArgumentParser
import Foundation
import HarvestCore
import HarvestStore

/// `harvest tasks add TASK_ID`: register an Octoparse task for harvesting.
struct TasksAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Register an Octoparse task for harvesting.",
        discussion: """
            Its rows land in the table data_<slug of --name> (data_<first 8 characters of the id> without a
            name). Examples:
              harvest tasks add 6a1b2c3d-4e5f-6789-abcd-ef0123456789 --name "Prices EU"
              harvest tasks add 6a1b2c3d-4e5f-6789-abcd-ef0123456789 --from "2026-11-01 00:00:00" --every 10m
            A --from without a zone is read in $OCTOPARSE_TIMEZONE (default +08:00), the zone of Octoparse
            storage times.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The Octoparse task id: a GUID, or up to 64 letters, digits, '-' and '_' (taskid1).")
    var taskID: String

    @Option(help: "The task's name; it names the data table.")
    var name = ""

    @Option(help: "How to read rows: by-time (default), offset, not-exported, last-run.")
    var mode = TaskMode.byTime.rawValue

    @Flag(help: "With --mode not-exported: use the one-phase call that marks rows exported as it returns them.")
    var destructive = false

    @Option(help: "Time between syncs, e.g. 30s, 5m, 1h (default 5m).")
    var every: String?

    @Option(help: "Harvest rows stored from this time on (ISO-8601, or YYYY-MM-DD HH:MM:SS in the account zone).")
    var from: String?

    func run() throws {
        let zone = try OctoparseEnvironment.zone(try database.settings())
        let registration = try TaskRegistration(
            id: try TaskID(parsing: taskID),
            name: name,
            mode: try TaskMode(parsing: mode),
            destructive: destructive,
            syncEvery: try every.map { text throws(InputError) in try IntervalInput.seconds(text, flag: "--every") }
                ?? TaskRegistration.defaultSyncEvery,
            startFrom: try from.map { text throws(InputError) in try TimeInput.parse(text, defaultZone: zone) }
        )
        let task = try database.open(create: true).addTask(registration, now: Date())
        let out = Output.standard
        if output.json {
            try out.json(TaskOutput(task))
        } else {
            out.line("task \(task.taskID) added; its rows go to table \(task.tableName ?? "?")")
        }
        out.flush()
    }
}
