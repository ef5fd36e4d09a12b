import Foundation
import Synchronization

/// An in-process fake of the Octoparse Data Export API (the "legacy" API), warts included.
///
/// OAuth password and refresh grants with rotating refresh tokens; `bearer` access tokens that expire
/// (and, with a knob, expire early); three task groups of tasks whose rows are a pure function of the
/// seed, one of a million rows served without holding it in memory, one of hand-made nasty rows, and
/// optionally one that grows while the fake runs, with rows committed late; every data call of the seed
/// document and PROTOCOL.md, with the API's error envelopes (`error_Description`) and its undocumented
/// choices (timezone, inclusive `to`, error statuses) as knobs. The ground truth is readable in process
/// and under `/__sim/`.
public final class OctoparseSimulator: Sendable {
    public let configuration: OctoparseConfiguration
    /// Counts by endpoint (`GET /api/alldata`), token grants (`token.password`, `token.refresh`,
    /// `token.invalid_grant`), refusals (`401` counts every `unauthorized`, whatever its status; `405`,
    /// `taskid_error`, `export_pagesize_error`), rows served (`rows.served`) and faults (`fault.5xx`, …).
    public let stats = RequestStats()
    let now: @Sendable () -> Date
    let catalog: TaskCatalog
    let tokens: TokenStore
    let random: SharedGenerator
    private let seed: UInt64
    private let state: Mutex<State>

    private struct State {
        var ledgers: [UInt64: ExportLedger] = [:]
        var live: LiveTimeline
        var faults: FaultRates
    }

    /// - Parameters:
    ///   - seed: same seed, same tasks, rows and tokens.
    ///   - now: the clock; tests may pass a manual one. The live task starts at the first reading.
    public init(
        configuration: OctoparseConfiguration = .init(),
        seed: UInt64 = 1,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        self.seed = seed
        self.now = now
        catalog = TaskCatalog(seed: seed, configuration: configuration)
        tokens = TokenStore(seed: seed, configuration: configuration)
        random = SharedGenerator(seed: SeededGenerator.mix(seed, 0x0C7_F4))
        state = Mutex(
            State(
                live: LiveTimeline(start: now(), rowsPerSecond: configuration.liveRowsPerSecond),
                faults: configuration.faults
            )
        )
    }

    // MARK: Ground truth

    /// Every task with what a client can read of it now.
    public func tasks() -> [SimulatedTask] {
        let now = now()
        return catalog.entries.map { entry in
            SimulatedTask(
                id: entry.id,
                name: entry.name,
                groupID: entry.group.id,
                groupName: entry.group.name,
                kind: entry.kind,
                rows: dataset(of: entry).visibility(at: now).count,
                exportedRows: state.withLock { $0.ledgers[entry.number]?.exportedCount ?? 0 }
            )
        }
    }

    /// Every row of the task a client can read now, in storage order; nil for an unknown task.
    public func rows(taskID: String) -> SimulatedRows? {
        guard let entry = catalog.entry(id: taskID) else { return nil }
        let dataset = dataset(of: entry)
        return SimulatedRows(dataset: dataset, visibility: dataset.visibility(at: now()))
    }

    /// Rows of the task stored upstream but not yet readable (committed late); 0 once every row is readable.
    public func rowsAwaitingCommit(taskID: String) -> Int {
        guard let rows = rows(taskID: taskID) else { return 0 }
        return rows.visibility.stored - rows.count
    }

    /// The rows `GetLastDataOfTaskByPaging` answers now: those of the most recent cloud run.
    public func lastRunRows(taskID: String) -> [SimulatedRow] {
        guard let rows = rows(taskID: taskID) else { return [] }
        let run = rows.dataset.lastRun(stored: rows.visibility.stored)
        return rows.filter { run.contains($0.index) }
    }

    // MARK: Runtime knobs

    /// The fault rates in force.
    public var faults: FaultRates { state.withLock { $0.faults } }

    /// Changes the fault rates of a running fake.
    public func setFaults(_ faults: FaultRates) {
        state.withLock { $0.faults = faults }
    }

    /// Every access and refresh token the fake has issued and still knows: secrets that no output of
    /// Harvest may contain.
    public func issuedTokens() -> [String] {
        tokens.issued()
    }

    /// Stops the live task from gaining rows (its cloud run ends), so that a test can reach a final state.
    /// Rows already stored still commit on time.
    public func pauseLive() {
        let now = now()
        state.withLock { $0.live.pause(at: now) }
    }

    /// Starts a new cloud run of the live task.
    public func resumeLive() {
        let now = now()
        state.withLock { $0.live.resume(at: now) }
    }

    public var isLivePaused: Bool { state.withLock { $0.live.isPaused } }

    // MARK: For the routes

    /// The task's rows as they are now (the live task's timeline is copied, so the answer is consistent).
    func dataset(of entry: TaskCatalog.Entry) -> any TaskDataset {
        if let dataset = entry.dataset { return dataset }
        return LiveDataset(
            seed: seed,
            task: entry.number,
            timeline: state.withLock { $0.live },
            lateShare: configuration.liveLateCommitShare,
            commitDelay: OctoparseTime.seconds(configuration.liveCommitDelay)
        )
    }

    /// Runs `body` on the task's not-exported ledger, atomically: two concurrent calls never get the
    /// same rows.
    func withLedger<T>(of entry: TaskCatalog.Entry, _ body: (inout ExportLedger) -> T) -> T {
        state.withLock { state in body(&state.ledgers[entry.number, default: ExportLedger()]) }
    }
}
