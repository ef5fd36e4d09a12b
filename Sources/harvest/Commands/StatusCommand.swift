import ArgumentParser
import Foundation
import HarvestCore
import HarvestStore

/// `harvest status`: is it healthy? Jobs by state and the oldest open one, each task's lag and state, the
/// latest job errors, and each account's state and token expiry, on one screen.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show whether Harvest is healthy: jobs, task lag, recent errors, accounts and token expiry.",
        discussion: """
            Never prints a token or a password. --json prints the same as one object (snake_case keys,
            ISO-8601 UTC times, ages in seconds). Examples:
              harvest status
              harvest status --errors 20 --json
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "How many of the latest job errors to show.")
    var errors = 5

    func validate() throws {
        guard (0...1000).contains(errors) else { throw ValidationError("bad --errors \(errors): expected 0 to 1000") }
    }

    func run() throws {
        let store = try database.open()
        let report = try store.healthReport(now: Date(), jobErrors: errors)
        let out = Output.standard
        if output.json {
            try out.json(report.json(database: try database.path))
        } else {
            for line in text(report, path: try database.path) { out.line(line) }
        }
        out.flush()
    }

    // MARK: Text

    private func text(_ report: HealthReport, path: String) -> [String] {
        var lines = ["database  \(path)"]
        lines.append(
            "jobs      " + JobStatus.allCases.map { "\($0.rawValue) \(report.jobs[$0] ?? 0)" }.joined(separator: " · ")
        )
        if let oldest = report.oldestOpenJob {
            lines.append(
                "          oldest open job \(oldest.id) (\(oldest.status.rawValue)), created "
                    + "\(UTCTime.format(oldest.createdAt)), \(Self.duration(oldest.age)) ago"
            )
        }
        lines.append(
            "tasks     \(report.tasksEnabled) enabled · \(report.tasksDisabled) disabled · "
                + "\(report.tasksFailed) failed · \(report.rowsHarvested) rows harvested"
        )
        if !report.tasks.isEmpty {
            var table = TextTable(["  TASK", "NAME", "STATE", "LAG", "CURSOR", "LAST SYNC", "LAST ERROR"])
            table.maximumCellWidth = 50
            for task in report.tasks {
                table.append([
                    "  " + task.taskID, task.name, task.enabled ? task.state : "\(task.state) (disabled)",
                    task.lag.map(Self.duration) ?? "-", task.cursor.map(UTCTime.format) ?? "-",
                    task.lastSyncedAt.map(UTCTime.format) ?? "never", task.lastError ?? "",
                ])
            }
            lines.append(table.render())
        }
        if !report.recentJobErrors.isEmpty {
            lines.append("job errors, most recent first")
            var table = TextTable(["  JOB", "STATUS", "AT", "ERROR"])
            table.maximumCellWidth = 100
            for error in report.recentJobErrors {
                table.append(["  \(error.id)", error.status.rawValue, UTCTime.format(error.at), error.error])
            }
            lines.append(table.render())
        }
        for account in report.accounts {
            var line = "account   \(account.provider) \(account.username) at \(account.baseURL): \(account.state)"
            if let error = account.lastError { line += " (\(error))" }
            if let expiresAt = account.tokenExpiresAt, let expiresIn = account.tokenExpiresIn {
                line +=
                    expiresIn >= 0
                    ? " · token expires \(UTCTime.format(expiresAt)) (in \(Self.duration(expiresIn)))"
                    : " · token expired \(UTCTime.format(expiresAt)) (\(Self.duration(-expiresIn)) ago)"
            }
            if let rate = account.submissionRate { line += " · " + Self.submissionRate(rate, account: account) }
            lines.append(line)
            if let readings = account.readings {
                lines.append("          server: " + readings.descriptions.joined(separator: "; "))
            }
        }
        return lines
    }

    /// `submitting at most 52.3/s (no limit announced: probing; 429 at 104.6/s)`.
    static func submissionRate(_ rate: Double, account: HealthReport.AccountHealth) -> String {
        func perSecond(_ value: Double) -> String { String(format: "%.1f/s", value) }
        var learned =
            account.submissionLimit.map { "limit announced: \($0)/s" } ?? "no limit announced: probing"
        if let refused = account.submissionRateRefused { learned += "; 429 at \(perSecond(refused))" }
        return "submitting at most \(perSecond(rate)) (\(learned))"
    }

    /// `45s`, `12m 5s`, `3h 20m`, `2d 4h`: the two largest units.
    static func duration(_ seconds: TimeInterval) -> String {
        DurationText.short(Int64(max(0, seconds).rounded(.down)))
    }
}
