import Foundation
import HarvestChaos
import HarvestSimulator

/// One chaos run against fakes already serving: prepare the database, run two services under kills and
/// faults for the set duration while jobs keep coming, wind down to idle, then check everything against
/// the ground truth.
@MainActor final class ChaosRun {
    let settings: ChaosSettings
    let simulator: HarvestSimulator
    let launcher: Launcher
    let observer: DatabaseObserver
    private var schedule: ChaosSchedule
    private var ledger = ChaosLedger()
    private var slots: [ServeSlot] = []
    private let start = ContinuousClock.now
    private var chaosSeconds = 0.0

    init(settings: ChaosSettings, simulator: HarvestSimulator, launcher: Launcher, database: String) {
        self.settings = settings
        self.simulator = simulator
        self.launcher = launcher
        observer = DatabaseObserver(path: database)
        schedule = ChaosSchedule(settings: settings)
    }

    /// The whole run; returns its report.
    func run() async throws -> ChaosReport {
        try await prepare()
        try await chaos()
        try await windDown()
        progress("checking against the ground truth")
        let elapsed = ContinuousClock.now - start
        let database = try observer.observe()
        let upstream = UpstreamObserver.observe(simulator, elapsed: elapsed)
        return ChaosReport(
            seed: settings.seed,
            chaosSeconds: chaosSeconds,
            totalSeconds: elapsed.seconds,
            ledger: ledger,
            database: database,
            upstream: upstream,
            faults: UpstreamObserver.faults(simulator),
            violations: ChaosVerdict.violations(database: database, upstream: upstream, ledger: ledger)
        )
    }

    // MARK: Phases

    /// The database, and every simulated task registered with a short interval: by storage time (the live
    /// and nasty ones included), one standard task by offset and one from the not-exported queue.
    private func prepare() async throws {
        try await command(["migrate"])
        try await command(["tasks", "discover"])
        let standard = simulator.octoparse.tasks().filter { $0.kind == .standard }.map(\.id)
        for task in simulator.octoparse.tasks() {
            let every = task.kind == .live ? settings.liveTaskInterval : settings.taskInterval
            var arguments = ["tasks", "add", task.id, "--every", every]
            if task.id == standard.dropFirst().first { arguments += ["--mode", "offset"] }
            if task.id == standard.dropFirst(2).first { arguments += ["--mode", "not-exported"] }
            try await command(arguments)
        }
        let callbackPort = try freePort()
        let listen = "127.0.0.1:\(callbackPort)"
        slots = [
            try ServeSlot(
                name: "A",
                arguments: ["--listen", listen, "--public-url", "http://\(listen)"] + settings.serveArguments,
                launcher: launcher
            ),
            try ServeSlot(
                name: "B",
                arguments: ["--listen", "127.0.0.1:0"] + settings.serveArguments,
                launcher: launcher
            ),
        ]
    }

    /// Both services run for the set duration; one of them is killed at random moments and restarted at
    /// once, sometimes armed with a crash point; jobs are queued all along.
    private func chaos() async throws {
        progress("chaos for \(ChaosSettings.text(settings.duration)) (seed \(settings.seed))")
        for slot in slots {
            let first = ChaosSchedule.ArmedCrashpoint(name: ChaosSettings.firstCrashpoint, skip: 0)
            ledger.recordArmed(first.name)
            try slot.start(armed: first)
        }
        let clock = ContinuousClock()
        let begin = clock.now
        let end = begin + settings.duration
        var kill = schedule.nextKill()
        var killAt = begin + .seconds(kill.delay)
        var enqueue = schedule.nextEnqueue()
        var enqueueAt = begin + .seconds(enqueue.delay)
        var inFlight: (process: Process, jobs: Int)?
        var reportAt = begin + .seconds(15)
        while clock.now < end {
            for slot in slots {
                if let exit = slot.exit { try await diedOnItsOwn(slot, exit) }
            }
            if let running = inFlight, !running.process.isRunning {
                finishEnqueue(running.process, jobs: running.jobs)
                inFlight = nil
            }
            if inFlight == nil, clock.now >= enqueueAt {
                inFlight = (try startEnqueue(enqueue.group), enqueue.group.count)
                enqueue = schedule.nextEnqueue()
                enqueueAt = clock.now + .seconds(enqueue.delay)
            }
            if clock.now >= killAt {
                try await perform(kill)
                kill = schedule.nextKill()
                killAt = clock.now + .seconds(kill.delay)
            }
            if clock.now >= reportAt {
                reportProgress(since: begin)
                reportAt = clock.now + .seconds(15)
            }
            // The supervision tick: how soon a death or a due event is noticed.
            try await Task.sleep(for: .milliseconds(20))
        }
        if let running = inFlight {
            _ = await launcher.wait(for: running.process, timeout: .seconds(60))
            finishEnqueue(running.process, jobs: running.jobs)
        }
        chaosSeconds = (clock.now - begin).seconds
    }

    /// No more jobs, live growth paused, both services stopped with SIGTERM; then, once every late row is
    /// committed upstream, `serve --until-idle` finishes the jobs and `tasks sync` reads every task to the
    /// present.
    private func windDown() async throws {
        progress("winding down: no more jobs, live growth paused, services stopped")
        simulator.octoparse.pauseLive()
        for slot in slots {
            let pid = slot.pid
            let exit = await slot.terminate(within: .seconds(90))
            let submitting = try observer.jobsSubmitting(leasedToProcess: pid)
            switch exit {
            case .exited(0)?:
                ledger.recordStop(submitting: submitting)
            case .signalled(SIGKILL)? where slot.armed != nil:
                ledger.recordDeath(kind: "crashpoint", crashpoint: slot.armed?.name, submitting: submitting)
            default:
                ledger.recordDeath(kind: "sigkill", submitting: submitting)
                ledger.recordProblem(
                    "graceful stop",
                    "serve \(slot.name) \(exit.map { "ended with \($0)" } ?? "still ran 90 s") after SIGTERM"
                )
            }
        }
        try await waitForLateCommits()

        progress("serve --until-idle")
        let idle = try await launcher.run(
            ["serve", "--until-idle", "--listen", "127.0.0.1:0"] + settings.serveArguments,
            timeout: .seconds(600)
        )
        keep(idle.stderr, as: "final-serve.log")
        let counts = try observer.jobCounts()
        // Exit 1 means some job ended faulted or failed: faulted is fine when Oxylabs faulted every attempt
        // (the job checks compare it with the truth), failed is not.
        let acceptable = idle.exit == .exited(0) || (idle.exit == .exited(1) && counts["failed", default: 0] == 0)
        if !acceptable {
            ledger.recordProblem("goes idle", "serve --until-idle ended with \(idle.exit): \(tail(idle.stderr))")
        }
        progress("tasks sync")
        let sync = try await launcher.run(
            [
                "tasks", "sync", "--safety-lag", ChaosSettings.text(settings.safetyLag), "--look-back",
                ChaosSettings.text(settings.lookBack), "--lease", ChaosSettings.text(settings.lease),
                "--octoparse-rate", "2000",
            ],
            timeout: .seconds(600)
        )
        keep(sync.stderr, as: "final-sync.log")
        if sync.exit != .exited(0) {
            ledger.recordProblem("goes idle", "tasks sync ended with \(sync.exit): \(tail(sync.stderr))")
        }
    }

    /// Waits until the live task's last rows are committed upstream and old enough to be read: past the
    /// safety lag, and past the re-check period of windows checked before they were committed (a twelfth of
    /// the look-back). These instants follow from the fakes' clock and Harvest's documented settings.
    private func waitForLateCommits() async throws {
        guard let live = simulator.octoparse.tasks().first(where: { $0.kind == .live })?.id else { return }
        let stoppedAt = Date()
        let deadline = ContinuousClock.now + settings.liveCommitDelay + .seconds(30)
        while simulator.octoparse.rowsAwaitingCommit(taskID: live) > 0 {
            guard ContinuousClock.now < deadline else {
                ledger.recordProblem("goes idle", "the live task's late rows were never committed upstream")
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let lastRow = simulator.octoparse.rows(taskID: live)?.last?.storageTime ?? stoppedAt
        let readable = max(
            lastRow.addingTimeInterval(settings.safetyLag.seconds + 1),
            stoppedAt.addingTimeInterval(settings.lookBack.seconds / 12 + 1)
        )
        while Date() < readable {
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    // MARK: Events

    /// SIGKILL one service at a random moment and restart it, maybe armed with a crash point.
    ///
    /// A service armed with a crash point that has not fired yet is spared while the other one is not: the
    /// point is an instant the run wants to hit, and a random kill would take the chance away.
    private func perform(_ kill: ChaosSchedule.Kill) async throws {
        var slot = slots[kill.target]
        let other = slots[1 - kill.target]
        if isSpared(slot), !isSpared(other) { slot = other }
        if let exit = slot.exit {
            try await diedOnItsOwn(slot, exit)
        }
        let pid = slot.pid
        _ = await slot.kill()
        ledger.recordDeath(kind: "sigkill", submitting: try observer.jobsSubmitting(leasedToProcess: pid))
        if let point = kill.crashpoint { ledger.recordArmed(point.name) }
        try slot.start(armed: kill.crashpoint)
    }

    /// Armed, not yet fired, and within its grace.
    private func isSpared(_ slot: ServeSlot) -> Bool {
        slot.armed != nil && slot.exit == nil && ContinuousClock.now - slot.startedAt < settings.armedGrace
    }

    /// A service ended without being killed: at its armed crash point (expected), or not (a problem).
    /// Either way it is restarted, unarmed.
    private func diedOnItsOwn(_ slot: ServeSlot, _ exit: ProcessExit) async throws {
        let submitting = try observer.jobsSubmitting(leasedToProcess: slot.pid)
        if exit == .signalled(SIGKILL), let point = slot.armed {
            ledger.recordDeath(kind: "crashpoint", crashpoint: point.name, submitting: submitting)
        } else {
            ledger.recordDeath(kind: "unexpected", submitting: submitting)
            ledger.recordProblem(
                "service keeps running",
                "serve \(slot.name) ended on its own with \(exit): \(slot.logTail())"
            )
        }
        try slot.start(armed: nil)
    }

    private var enqueueNumber = 0

    private func startEnqueue(_ group: JobGroup) throws -> Process {
        enqueueNumber += 1
        let file = launcher.directory.appendingPathComponent("jobs-\(enqueueNumber).jsonl")
        if case .batch = group { try Data(group.fileText.utf8).write(to: file) }
        return try launcher.launch(group.arguments(file: file.path))
    }

    private func finishEnqueue(_ process: Process, jobs: Int) {
        launcher.forget(process)
        let exit = ProcessExit(process)
        if exit == .exited(0) {
            ledger.recordEnqueue(jobs: jobs)
        } else {
            ledger.recordProblem("jobs can be queued", "harvest jobs submit ended with \(exit)")
        }
    }

    // MARK: Helpers

    /// Runs a set-up command; it must succeed.
    private func command(_ arguments: [String]) async throws {
        let result = try await launcher.run(arguments)
        guard result.exit == .exited(0) else {
            throw ChaosFailure(
                "harvest \(arguments.joined(separator: " ")) ended with \(result.exit): \(tail(result.stderr))"
            )
        }
    }

    private func reportProgress(since begin: ContinuousClock.Instant) {
        let counts = (try? observer.jobCounts()) ?? [:]
        let jobs = counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let seconds = Int((ContinuousClock.now - begin).seconds)
        progress("\(seconds)s: jobs \(jobs); kills \(ledger.abruptKills); problems \(ledger.problems.count)")
    }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("harvest-chaos: \(text)\n".utf8))
    }

    /// Keeps a final command's log beside the services' for the post-mortem.
    private func keep(_ log: String, as name: String) {
        try? Data(log.utf8).write(to: launcher.directory.appendingPathComponent(name))
    }

    private func tail(_ text: String) -> String {
        text.split(separator: "\n").suffix(3).joined(separator: " / ")
    }
}

/// The run could not be carried out (as opposed to finding a violation).
struct ChaosFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

/// A TCP port free on loopback now (the callback receiver needs its address before it starts).
func freePort() throws -> Int {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw ChaosFailure("cannot open a socket to find a free port") }
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
    }
    guard bound == 0 else { throw ChaosFailure("cannot bind a socket to find a free port") }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
