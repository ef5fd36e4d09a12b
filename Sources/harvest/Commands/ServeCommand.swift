import ArgumentParser
import Foundation
import HarvestCore
import HarvestServer
import HarvestStore
import Logging

/// `harvest serve`: the long-running service that moves jobs through Oxylabs and tasks into tables.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the service: Oxylabs jobs from queue to stored results, Octoparse tasks into tables.",
        discussion: """
            Settings come from, lowest to highest: defaults, the config file (--config or $HARVEST_CONFIG),
            the environment, and flags; `harvest config show` prints the result. Credentials: OXYLABS_USERNAME,
            OXYLABS_PASSWORD, OCTOPARSE_USERNAME, OCTOPARSE_PASSWORD (or the config file); either account may
            be left out. The first SIGTERM or SIGINT stops claiming work, lets requests in flight finish
            (up to --shutdown-grace), releases leases and exits 0; a second one exits at once. Examples:
              harvest serve --config /etc/harvest/harvest.toml
              harvest serve --until-idle        # exit once every job is final and every task caught up
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var options: ServiceOptions
    @OptionGroup var sync: OctoparseSyncOptions
    @OptionGroup var logging: LoggingOptions

    @Flag(
        help: "Exit once no job is open and every enabled task caught up (status 0; 1 if a job or task failed)."
    )
    var untilIdle = false

    @Option(
        help: ArgumentHelp(
            "Poll at a fixed interval instead of the adaptive schedule (a benchmark baseline).",
            visibility: .hidden
        )
    )
    var fixedPollInterval: String?

    func run() async throws {
        let flags = options.given.merging(sync.given) { flag, _ in flag }.merging(logging.given) { flag, _ in flag }
        let settings = try database.settings(flags: flags)
        var configuration = try ServiceSettings.configuration(settings, requireAccount: true)
        let logLevel = LoggingOptions.bootstrap(settings)
        configuration.untilIdle = untilIdle
        configuration.metrics = PrometheusMetrics.bootstrap()
        configuration.pipeline.pollSchedule.fixedInterval = try fixedPollInterval.map { text throws(InputError) in
            try DurationInput.parse(text, flag: "--fixed-poll-interval")
        }
        let store = try DatabaseOptions.open(settings, create: true)
        var logger = Logger(label: "harvest")
        logger.logLevel = logLevel
        let ending = try await HarvestService.run(configuration, database: store, logger: logger)
        if ending == .idle { try Self.reportIdle(store) }
    }

    /// The `--until-idle` summary on stderr; exit 1 when a job, task or account ended in trouble.
    private static func reportIdle(_ store: HarvestDatabase) throws {
        let summary = try store.statusSummary()
        let failed = (summary.jobs[.failed] ?? 0) + (summary.jobs[.faulted] ?? 0)
        let line = JobStatus.allCases.map { "\($0.rawValue) \(summary.jobs[$0] ?? 0)" }.joined(separator: " · ")
        var lines = ["harvest: idle: \(line)"]
        let troubled = try store.accounts().filter { $0.state != "ok" }
        for account in troubled {
            lines.append(
                "harvest: account \(account.provider) \(account.username): \(account.state): \(account.lastError ?? "")"
            )
        }
        let failedTasks = try store.tasks().filter { $0.enabled && $0.state == "failed" }
        for task in failedTasks {
            lines.append("harvest: task \(task.taskID) failed: \(task.lastError ?? "")")
        }
        FileHandle.standardError.write(Data(lines.map { $0 + "\n" }.joined().utf8))
        if failed > 0 || !troubled.isEmpty || !failedTasks.isEmpty { throw ExitCode(1) }
    }
}
