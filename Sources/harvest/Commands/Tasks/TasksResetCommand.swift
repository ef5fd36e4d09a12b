import ArgumentParser
import Foundation
import HarvestCore
import HarvestEngine
import HarvestStore

/// `harvest tasks reset ID --from TIME`.
struct TasksResetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Delete a by-time task's rows from a time on, so the next sync harvests them again.",
        discussion: """
            The windows that end after TIME go whole (a window that straddles TIME included), with their rows,
            and the cursor moves back to the earliest of them. Refused while a service is syncing the task.
            A TIME without a zone is read in $OCTOPARSE_TIMEZONE (default +08:00). Example:
              harvest tasks reset 6a1b2c3d-4e5f-6789-abcd-ef0123456789 --from "2026-11-01 00:00:00"
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The Octoparse task id.")
    var taskID: String

    @Option(help: "Harvest again from this time on (ISO-8601, or YYYY-MM-DD HH:MM:SS in the account zone).")
    var from: String

    func run() throws {
        let id = try TaskID(parsing: taskID)
        let start = try TimeInput.parse(from, defaultZone: try OctoparseEnvironment.zone(try database.settings()))
        let summary = try database.open().resetTask(
            taskID: id,
            from: start,
            owner: "reset:\(PipelineContext.processOwner())",
            now: Date()
        )
        let out = Output.standard
        if output.json {
            try out.json([
                "task_id": id.rawValue, "rows_deleted": String(summary.rowsDeleted),
                "windows_deleted": String(summary.windowsDeleted), "cursor": UTCTime.format(summary.cursor),
            ])
        } else {
            out.line(
                "task \(id): \(summary.rowsDeleted) rows and \(summary.windowsDeleted) windows deleted; "
                    + "harvesting again from \(UTCTime.format(summary.cursor))"
            )
        }
        out.flush()
    }
}
