import ArgumentParser
import AsyncHTTPClient
import Foundation
import HarvestCore
import HarvestEngine
import HarvestStore
import Logging
import OctoparseAPI
import ServiceLifecycle
import UnixSignals

/// `harvest tasks sync [ID…] [--follow]`: harvest in the foreground.
struct TasksSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Harvest tasks now, in the foreground, with a progress line.",
        discussion: """
            Without ids, every enabled task. Exits 0 when every task caught up, 1 otherwise. With --follow,
            keeps syncing each task at its interval until SIGINT or SIGTERM. Examples:
              harvest tasks sync
              harvest tasks sync 6a1b2c3d-4e5f-6789-abcd-ef0123456789 --follow
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var sync: OctoparseSyncOptions
    @OptionGroup var logging: LoggingOptions

    @Argument(help: "Task ids (default: every enabled task).")
    var taskIDs: [String] = []

    @Flag(help: "Keep syncing at each task's interval until interrupted.")
    var follow = false

    @Option(help: SettingsCatalog.help("service.lease"))
    var lease: String?

    func run() async throws {
        let ids = try taskIDs.map { text throws(InputError) in try TaskID(parsing: text) }
        var flags = sync.given.merging(logging.given) { flag, _ in flag }
        flags["service.lease"] = lease
        let settings = try database.settings(flags: flags)
        let logLevel = LoggingOptions.bootstrap(settings)
        let configuration = try OctoparseEnvironment.configuration(settings)
        let account = try OctoparseEnvironment.requiredAccount(settings)
        let store = try DatabaseOptions.open(settings)
        for id in ids { _ = try store.task(id: id) }
        let selected = ids.isEmpty ? try store.tasks().filter(\.enabled).map(\.taskID) : ids.map(\.rawValue)
        guard !selected.isEmpty else {
            throw InputError("no enabled task to sync (harvest tasks add ID, or tasks discover --enable)")
        }

        var logger = Logger(label: "harvest")
        logger.logLevel = logLevel
        let http = HTTPClient.harvest(retryingConnections: false)
        let owner = PipelineContext.processOwner()
        let syncer = OctoparseSyncer(
            database: store,
            reader: OctoparseReader.make(
                account: account,
                http: http,
                database: store,
                configuration: configuration,
                owner: owner,
                logger: logger
            ),
            configuration: configuration,
            owner: owner,
            logger: logger,
            only: Set(selected)
        )
        let bar = ProgressLine(progress: syncer.progress)
        let reporter = Task { await bar.run() }
        let outcomes: [String: OctoparseSyncer.Outcome?]
        do {
            if follow {
                let group = ServiceGroup(
                    configuration: .init(
                        services: [syncer],
                        gracefulShutdownSignals: [.sigterm, .sigint],
                        logger: logger
                    )
                )
                try await group.run()
                outcomes = [:]
            } else {
                outcomes = try await Self.syncEach(selected, with: syncer, concurrency: configuration.concurrency)
            }
        } catch {
            reporter.cancel()
            try? store.releaseLeases(owner: owner)
            try? await http.shutdown()
            throw error
        }
        reporter.cancel()
        await bar.finish()
        try? await http.shutdown()
        var failed = false
        for id in selected.sorted() {
            guard let outcome = outcomes[id] else { continue }
            let line: String
            switch outcome {
            case .caughtUp?: line = "caught up"
            case .partial?: line = "stopped before the present"
            case .failed(let message)?: line = "failed: \(message)"
            case .error(let message)?: line = "error (tried again later): \(message)"
            case nil: line = "skipped: another process is syncing it"
            }
            if outcome != .caughtUp { failed = true }
            FileHandle.standardError.write(Data("harvest: task \(id): \(line)\n".utf8))
        }
        if failed { throw ExitCode(1) }
    }

    private static func syncEach(
        _ ids: [String],
        with syncer: OctoparseSyncer,
        concurrency: Int
    ) async throws -> [String: OctoparseSyncer.Outcome?] {
        try await withThrowingTaskGroup(of: (String, OctoparseSyncer.Outcome?).self) { group in
            var pending = ids[...]
            var outcomes: [String: OctoparseSyncer.Outcome?] = [:]
            func startNext() throws {
                guard let next = pending.popFirst() else { return }
                let id = try TaskID(parsing: next)
                group.addTask { (next, try await syncer.syncNow(id)) }
            }
            for _ in 0..<concurrency { try startNext() }
            while let (id, outcome) = try await group.next() {
                outcomes[id] = outcome
                try startNext()
            }
            return outcomes
        }
    }
}

/// The progress line on standard error: rows, pages, rows/s and the window being read; redrawn in place
/// on a terminal, printed once at the end otherwise.
actor ProgressLine {
    let progress: SyncProgress
    let start = ContinuousClock.now
    let isTerminal = isatty(STDERR_FILENO) == 1

    init(progress: SyncProgress) {
        self.progress = progress
    }

    func run() async {
        guard isTerminal else { return }
        while !Task.isCancelled {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(text())".utf8))
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    func finish() {
        FileHandle.standardError.write(Data(((isTerminal ? "\r\u{1B}[K" : "") + text() + "\n").utf8))
    }

    private func text() -> String {
        let snapshot = progress.snapshot
        let seconds = max((ContinuousClock.now - start).seconds, 0.001)
        let rate = Int((Double(snapshot.rows) / seconds).rounded())
        let window = snapshot.position.isEmpty ? "" : " · \(snapshot.position)"
        return "harvest: \(snapshot.rows) rows · \(snapshot.pages) pages · \(rate) rows/s\(window)"
    }
}
