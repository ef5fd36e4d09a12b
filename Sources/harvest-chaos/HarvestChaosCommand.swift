import ArgumentParser
import Foundation
import HarvestChaos
import HarvestCore
import HarvestSimulator

/// `harvest-chaos`: the scenario runner of `make chaos` (issue 7).
@main struct HarvestChaosCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harvest-chaos",
        abstract: "Run two harvest serve processes on one database under kills and faults, then check it all.",
        discussion: """
            Starts both fakes in this process with every fault on, queues a steady mix of Oxylabs jobs, registers
            every simulated Octoparse task, and runs two `harvest serve` processes on one database (callbacks
            on one of them) for --duration, killing one of them at random moments (SIGKILL) and restarting it,
            some of the time armed with a named crash point. Then it pauses live growth, stops queueing, lets
            the system go idle and checks every invariant against the fakes' ground truth. Prints a report and
            exits 0 only when nothing was violated (1 otherwise; the working directory is kept, with the
            database and each service's log).
            """
    )

    @Option(help: "How long the services run under chaos, e.g. 2m or 10m.")
    var duration = "2m"

    @Option(help: "Seed of the fakes' data and of the schedule of kills and jobs.")
    var seed: UInt64 = 1

    @Option(help: "The harvest binary (default: the one beside this executable).")
    var harvest: String?

    @Option(help: "Working directory for the database and logs (default: a new temporary directory).")
    var workdir: String?

    @Flag(help: "Keep the working directory even when the run passes.")
    var keep = false

    func run() async throws {
        var settings = ChaosSettings()
        settings.seed = seed
        do {
            settings.duration = try DurationInput.parse(duration, flag: "--duration")
        } catch {
            throw ValidationError(error.description)
        }
        guard settings.duration >= .seconds(10) else {
            throw ValidationError("bad --duration \(duration): at least 10s")
        }
        let binary = harvest.map { URL(fileURLWithPath: $0) } ?? Self.besideMe("harvest")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw ValidationError("no harvest binary at \(binary.path) (build it, or give --harvest)")
        }
        let directory = URL(
            fileURLWithPath: workdir
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("harvest-chaos-\(UUID().uuidString)")
                .path
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        Launcher.killChildrenOnSignals()
        defer { Launcher.killAll() }

        let chosen = settings
        let report = try await HarvestSimulator.withRunning(chosen.simulator) { simulator, endpoints in
            try await Self.run(chosen, simulator: simulator, endpoints: endpoints, binary: binary, directory: directory)
        }
        print(report.text)
        if report.violations.isEmpty, !keep, workdir == nil {
            try? FileManager.default.removeItem(at: directory)
        } else {
            print("working directory: \(directory.path) (harvest.sqlite, serve-A.log, serve-B.log, final-*.log)")
        }
        if !report.violations.isEmpty { throw ExitCode(1) }
    }

    @MainActor private static func run(
        _ settings: ChaosSettings,
        simulator: HarvestSimulator,
        endpoints: SimulatorEndpoints,
        binary: URL,
        directory: URL
    ) async throws -> ChaosReport {
        let database = directory.appendingPathComponent("harvest.sqlite").path
        let launcher = Launcher(
            harvest: binary,
            environment: environment(settings.simulator, endpoints: endpoints, database: database),
            directory: directory
        )
        defer { Launcher.killAll() }
        let run = ChaosRun(settings: settings, simulator: simulator, launcher: launcher, database: database)
        return try await run.run()
    }

    /// The environment of every `harvest` child: this process's, without Harvest's own settings, plus the
    /// database and both fakes' addresses and accounts.
    private static func environment(
        _ configuration: SimulatorConfiguration,
        endpoints: SimulatorEndpoints,
        database: String
    ) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys
        where key.hasPrefix("HARVEST_") || key.hasPrefix("OXYLABS_") || key.hasPrefix("OCTOPARSE_") {
            environment[key] = nil
        }
        environment["HARVEST_DB"] = database
        environment["OXYLABS_BASE_URL"] = endpoints.oxylabsBaseURL
        environment["OXYLABS_USERNAME"] = configuration.oxylabs.username
        environment["OXYLABS_PASSWORD"] = configuration.oxylabs.password
        environment["OCTOPARSE_BASE_URL"] = endpoints.octoparseBaseURL
        environment["OCTOPARSE_USERNAME"] = configuration.octoparse.username
        environment["OCTOPARSE_PASSWORD"] = configuration.octoparse.password
        environment["OCTOPARSE_TIMEZONE"] = configuration.octoparse.serverTimeZone.description
        return environment
    }

    /// A sibling of this executable (SwiftPM builds every product into one directory).
    private static func besideMe(_ name: String) -> URL {
        let me = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return me.deletingLastPathComponent().appendingPathComponent(name)
    }
}
