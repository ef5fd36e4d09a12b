import ArgumentParser
import Foundation
import HarvestStore

/// `harvest tasks list`.
struct TasksListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List registered Octoparse tasks.",
        discussion: "Example: harvest tasks list --json"
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let tasks = try database.open().tasks()
        let out = Output.standard
        if output.json {
            try out.json(tasks.map(TaskOutput.init))
        } else if tasks.isEmpty {
            out.line("no tasks")
        } else {
            var table = TextTable(["TASK ID", "NAME", "MODE", "ENABLED", "TABLE", "ROWS", "CURSOR", "STATE"])
            for task in tasks {
                table.append([
                    task.taskID, task.name, task.mode.rawValue, task.enabled ? "yes" : "no", task.tableName ?? "",
                    String(task.rowsHarvested), task.cursor ?? task.startFrom ?? "", task.state,
                ])
            }
            out.line(table.render())
        }
        out.flush()
    }
}
