import ArgumentParser
import Foundation
import HarvestCore
import HarvestStore

/// `harvest status`: counts of jobs by state and of tasks.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show counts of jobs by state and of tasks.",
        discussion: "Example: harvest status --json"
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let store = try database.open()
        let summary = try store.statusSummary()
        let accounts = try store.accounts()
        let out = Output.standard
        if output.json {
            struct Shown: Encodable {
                var database: String
                var jobs: [String: Int]
                var oldest_open_job_created_at: String?
                var tasks: [String: Int]
                var rows_harvested: Int64
                var accounts: [AccountRecord]
            }
            try out.json(
                Shown(
                    database: try database.path,
                    jobs: Dictionary(uniqueKeysWithValues: summary.jobs.map { ($0.key.rawValue, $0.value) }),
                    oldest_open_job_created_at: summary.oldestOpenJobCreatedAt,
                    tasks: [
                        "enabled": summary.tasksEnabled, "disabled": summary.tasksDisabled,
                        "failed": summary.tasksFailed,
                    ],
                    rows_harvested: summary.rowsHarvested,
                    accounts: accounts
                )
            )
        } else {
            out.line("database  \(try database.path)")
            out.line(
                "jobs      "
                    + JobStatus.allCases.map { "\($0.rawValue) \(summary.jobs[$0] ?? 0)" }.joined(separator: " · ")
            )
            if let oldest = summary.oldestOpenJobCreatedAt { out.line("          oldest open job created \(oldest)") }
            out.line(
                "tasks     \(summary.tasksEnabled) enabled · \(summary.tasksDisabled) disabled · "
                    + "\(summary.tasksFailed) failed · \(summary.rowsHarvested) rows harvested"
            )
            for account in accounts {
                out.line(
                    "account   \(account.provider) \(account.username) at \(account.baseURL): \(account.state)"
                        + (account.lastError.map { " (\($0))" } ?? "")
                )
            }
        }
        out.flush()
    }
}
