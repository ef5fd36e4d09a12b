import ArgumentParser
import Foundation
import HarvestCore
import HarvestStore

/// `harvest tasks show TASK_ID`.
struct TasksShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one task: mode, cursor, lag, rows, last error.",
        discussion: "Example: harvest tasks show 6a1b2c3d-4e5f-6789-abcd-ef0123456789"
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The Octoparse task id.")
    var taskID: String

    func run() throws {
        let store = try database.open()
        let task = try store.task(id: try TaskID(parsing: taskID))
        // What the account's server was found to do, where the documents leave it open (one account).
        let readings = task.mode == .byTime ? try store.octoparseReadingsOfEveryAccount() : []
        let out = Output.standard
        if output.json {
            try out.json(TaskOutput(task))
        } else {
            let fields: [(String, String?)] = [
                ("task id", task.taskID), ("name", task.name), ("group", task.groupID.map(String.init)),
                ("enabled", task.enabled ? "yes" : "no"),
                ("mode", task.mode.rawValue + (task.destructive ? " (destructive)" : "")),
                ("every", "\(task.syncEvery)s"), ("table", task.tableName), ("from", task.startFrom),
                ("cursor", task.cursor), ("lag", TaskOutput.lag(task, now: Date()).map { "\($0)s behind now" }),
                ("rows", String(task.rowsHarvested)), ("pages", String(task.pagesFetched)),
                ("caught up", task.caughtUp ? "yes" : "no"), ("offset", task.offsetCursor), ("state", task.state),
                ("last error", task.lastError), ("last synced", task.lastSyncedAt), ("next sync", task.nextSyncAt),
                ("added", task.createdAt),
                ("server", readings.count == 1 ? readings[0].descriptions.joined(separator: "; ") : nil),
            ]
            for case let (name, value?) in fields {
                out.line(name.padding(toLength: 13, withPad: " ", startingAt: 0) + TextTable.flatten(value))
            }
        }
        out.flush()
    }
}
