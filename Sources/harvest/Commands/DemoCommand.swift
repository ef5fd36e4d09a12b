import ArgumentParser
import Foundation
import HarvestCore
import HarvestSimulator
import HarvestStore

/// `harvest demo`: Harvest's main job, end to end, on the built-in simulators and a fresh database.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A guided run of the main job on the built-in simulators and a fresh demo.sqlite.",
        discussion: """
            Starts the simulated Oxylabs and Octoparse APIs on free loopback ports, enqueues a mixed set of
            jobs, registers every simulated task (the one with hostile field names included), runs the
            service until everything is harvested, and shows the result with `harvest status` and three SQL
            queries. Every step is a real `harvest` command, printed before it runs. Nothing leaves the machine.
            """
    )

    @Option(help: "The demo database; a previous demo's database there is replaced, any other file refused.")
    var db = "demo.sqlite"

    @Option(help: "Rows of the large simulated Octoparse task.")
    var largeTaskRows = 200_000

    func run() async throws {
        guard !db.isEmpty else { throw InputError("bad --db: empty") }
        guard (0...5_000_000).contains(largeTaskRows) else {
            throw InputError("bad --large-task-rows \(largeTaskRows): expected 0 to 5000000")
        }
        try Self.replaceDemoDatabase(at: db)
        var simulated = SimulatorConfiguration()
        simulated.oxylabs.latencyMedian = .seconds(2)
        simulated.oxylabs.faultedShare = 0.1
        simulated.octoparse.largeTaskRows = largeTaskRows
        let database = db
        let configuration = simulated
        try await HarvestSimulator.withRunning(configuration) { _, endpoints in
            let tour = DemoTour(database: database, endpoints: endpoints, simulated: configuration)
            try await tour.run()
        }
    }
}

extension DemoCommand {
    /// Marks a database as the demo's own, so that a later demo may replace it and nothing else.
    static let marker = "demo-database"

    /// Removes the previous demo database at `path` and creates a fresh, marked one; refuses to touch a
    /// file the demo did not make (`--db harvest.sqlite` must not wipe a real database).
    static func replaceDemoDatabase(at path: String) throws {
        if FileManager.default.fileExists(atPath: path) {
            let isDemo = (try? HarvestDatabase(path: path, create: false).hasSecret(named: marker)) ?? false
            guard isDemo else {
                throw InputError(
                    "\(path.quotedForMessage) exists and was not made by harvest demo: pass another --db "
                        + "(the demo replaces its database)"
                )
            }
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                try FileManager.default.removeItem(atPath: path + suffix)
            }
        }
        _ = try HarvestDatabase(path: path, create: true).secret(named: marker, now: Date()) { "yes" }
    }
}

/// The steps of `harvest demo`, each a `harvest` child process with the simulators' credentials.
struct DemoTour: Sendable {
    let database: String
    let endpoints: SimulatorEndpoints
    let simulated: SimulatorConfiguration
    let start = ContinuousClock.now

    private var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("HARVEST_") { environment[key] = nil }
        environment["HARVEST_DB"] = database
        environment["OXYLABS_BASE_URL"] = endpoints.oxylabsBaseURL
        environment["OXYLABS_USERNAME"] = simulated.oxylabs.username
        environment["OXYLABS_PASSWORD"] = simulated.oxylabs.password
        environment["OCTOPARSE_BASE_URL"] = endpoints.octoparseBaseURL
        environment["OCTOPARSE_USERNAME"] = simulated.octoparse.username
        environment["OCTOPARSE_PASSWORD"] = simulated.octoparse.password
        environment["OCTOPARSE_TIMEZONE"] = simulated.octoparse.serverTimeZone.description
        return environment
    }

    func run() async throws {
        let out = Output.standard
        out.line(
            "Harvest demo: simulated Oxylabs at \(endpoints.oxylabsBaseURL), Octoparse at \(endpoints.octoparseBaseURL);"
        )
        out.line("a fresh \(database); every step below is a harvest command you can run yourself.")
        out.flush()
        for flags in Self.singleJobs { try await step(["jobs", "submit"] + flags) }
        let batch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "harvest-demo-\(UUID().uuidString).jsonl"
        )
        defer { try? FileManager.default.removeItem(at: batch) }
        let skus = ["B07FZ8S74R", "B08N5WRWNW", "B09G9FPHY6", "B0BSHF7WHW", "B0C1H26C46"]
        let lines = skus.map { #"{"source":"amazon_product","query":"\#($0)","parse":true,"geo_location":"90210"}"# }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: batch)
        try await step("jobs", "submit", "--file", batch.path, shown: "jobs submit --file skus.jsonl   # a batch of 5")
        try await step(
            "tasks",
            "discover",
            "--enable",
            shown: "tasks discover --enable   # every task, the nasty one too"
        )
        try await serve()
        try await step("status")
        try await step(
            "query",
            """
            SELECT j.id, j.source, j.status, COUNT(r.job_id) AS pages, COALESCE(SUM(r.bytes), 0) AS bytes
            FROM oxylabs_jobs j LEFT JOIN oxylabs_results r ON r.job_id = j.id GROUP BY j.id ORDER BY j.id
            """
        )
        try await step(
            "query",
            """
            SELECT r.job_id, json_extract(o.value, '$.pos') AS pos, json_extract(o.value, '$.title') AS title
            FROM oxylabs_results r, json_each(r.content, '$.results.organic') o
            WHERE r.type = 'parsed' ORDER BY r.job_id, pos LIMIT 6
            """
        )
        try await step(
            "query",
            """
            SELECT city, COUNT(*) AS readings, ROUND(AVG(CAST(rtrim(high_temperatures, 'F') AS REAL)), 1) AS avg_high_f
            FROM data_weather_all_cities GROUP BY city ORDER BY avg_high_f DESC LIMIT 5
            """
        )
        let seconds = (ContinuousClock.now - start).components.seconds
        out.line(
            "\nDone in \(seconds) s. Explore it: harvest query \"SELECT …\" --db \(database), harvest tasks list --db \(database)"
        )
        out.flush()
    }

    /// `$ harvest …` as a heading: bold on a terminal, plain otherwise.
    private static func heading(_ text: String) -> String {
        isatty(STDOUT_FILENO) == 1 ? "\n\u{1B}[1m$ harvest \(text)\u{1B}[0m" : "\n$ harvest \(text)"
    }

    /// The jobs submitted one by one: a plain page, a parsed search, a PNG render.
    private static let singleJobs: [[String]] = [
        ["--source", "universal", "--url", "https://example.com/", "--param", "render=html"],
        [
            "--source", "google_search", "--query", "adidas shoes", "--param", "parse=true",
            "--param", "geo_location=United States",
        ],
        ["--source", "universal", "--url", "https://example.com/pricing", "--param", "render=png"],
    ]

    private func step(_ arguments: String..., shown: String? = nil) async throws {
        try await step(arguments, shown: shown)
    }

    /// Prints `$ harvest ARGUMENTS` and runs it with the demo's environment; a failure ends the demo.
    private func step(_ arguments: [String], shown: String? = nil) async throws {
        let text = shown ?? arguments.map(Self.shellWord).joined(separator: " ")
        Output.standard.line(Self.heading(text))
        Output.standard.flush()
        let process = try launch(arguments, errors: nil)
        let status = await Self.exit(of: process)
        guard status == 0 else { throw CommandFailure(message: "the demo step `harvest \(text)` exited \(status)") }
    }

    /// `harvest serve --until-idle`, with a progress line read from the database while it runs.
    private func serve() async throws {
        Output.standard.line(Self.heading("serve --until-idle") + "   # logs in \(database).log")
        Output.standard.flush()
        FileManager.default.createFile(atPath: database + ".log", contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: database + ".log"))
        defer { try? log.close() }
        let process = try launch(
            ["serve", "--until-idle", "--listen", "127.0.0.1:0", "--octoparse-rate", "2000"],
            errors: log
        )
        let progress = DemoProgress(database: database)
        while process.isRunning {
            progress.show()
            try? await Task.sleep(for: .milliseconds(500))
        }
        progress.finish()
        guard process.terminationStatus <= 1 else {
            throw CommandFailure(message: "harvest serve exited \(process.terminationStatus); see \(database).log")
        }
    }

    private func launch(_ arguments: [String], errors: FileHandle?) throws -> Process {
        let process = Process()
        process.executableURL = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = arguments
        process.environment = environment
        if let errors { process.standardError = errors }
        try process.run()
        return process
    }

    private static func exit(of process: Process) async -> Int32 {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        return process.terminationStatus
    }

    /// The argument as a shell word: quoted when it holds anything but plain characters.
    private static func shellWord(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "-_=./:,".unicodeScalars.contains($0)
        }
        if plain { return text }
        let flattened = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        return "\"" + flattened.joined(separator: " ").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// The live progress line of the demo's service run: jobs final, rows stored, tasks caught up.
final class DemoProgress {
    let database: String
    let start = ContinuousClock.now
    let isTerminal = isatty(STDOUT_FILENO) == 1
    private var lastShown: ContinuousClock.Instant?

    init(database: String) {
        self.database = database
    }

    func show() {
        guard let line = try? text() else { return }
        if isTerminal {
            Output.standard.write("\r\u{1B}[K" + line)
        } else {
            // Without a terminal, a line every 5 seconds.
            if let lastShown, ContinuousClock.now - lastShown < .seconds(5) { return }
            Output.standard.line(line)
        }
        lastShown = ContinuousClock.now
        Output.standard.flush()
    }

    func finish() {
        let line = (try? text()) ?? ""
        Output.standard.line((isTerminal ? "\r\u{1B}[K" : "") + line)
        Output.standard.flush()
    }

    private func text() throws -> String {
        let store = try HarvestDatabase(path: database)
        let summary = try store.statusSummary()
        let total = summary.jobs.values.reduce(0, +)
        let final = JobStatus.allCases.filter(\.isFinal).reduce(0) { $0 + (summary.jobs[$1] ?? 0) }
        let tasks = try store.tasks().filter(\.enabled)
        let behind = try store.tasksBehind().count
        let seconds = (ContinuousClock.now - start).components.seconds
        return "  \(final)/\(total) jobs final · \(summary.rowsHarvested) rows · "
            + "\(tasks.count - behind)/\(tasks.count) tasks caught up · \(seconds) s"
    }
}
