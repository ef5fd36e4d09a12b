import Foundation
import HarvestChaos

/// One of the run's two `harvest serve` processes, restarted after every death: its flags, its current
/// process and the crash point it was armed with. Its stderr goes to `serve-<name>.log` in the run's
/// directory, every start marked, for the post-mortem.
@MainActor final class ServeSlot {
    let name: String
    private let arguments: [String]
    private let launcher: Launcher
    private let log: FileHandle
    private(set) var process: Process?
    /// The crash point the current process was started with.
    private(set) var armed: ChaosSchedule.ArmedCrashpoint?
    private(set) var starts = 0
    private(set) var startedAt = ContinuousClock.now

    init(name: String, arguments: [String], launcher: Launcher) throws {
        self.name = name
        self.arguments = arguments
        self.launcher = launcher
        let url = launcher.directory.appendingPathComponent("serve-\(name).log")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        log = try FileHandle(forWritingTo: url)
    }

    var pid: Int32 { process?.processIdentifier ?? 0 }

    /// How the current process ended, or nil while it runs.
    var exit: ProcessExit? {
        guard let process, !process.isRunning else { return nil }
        launcher.forget(process)
        return ProcessExit(process)
    }

    /// Starts a new process, armed with `crashpoint` when there is one.
    func start(armed crashpoint: ChaosSchedule.ArmedCrashpoint?) throws {
        starts += 1
        startedAt = .now
        armed = crashpoint
        let note = crashpoint.map { " armed with \($0.name) (skip \($0.skip))" } ?? ""
        log.seekToEndOfFile()
        log.write(Data("--- harvest-chaos: start \(starts) of serve \(name)\(note)\n".utf8))
        process = try launcher.launch(
            ["serve"] + arguments,
            extraEnvironment: crashpoint?.environment ?? [:],
            stderr: log
        )
    }

    /// SIGKILL, then how it ended (it may have died on its own just before).
    func kill() async -> ProcessExit {
        guard let process else { return .signalled(SIGKILL) }
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        return await launcher.wait(for: process, timeout: .seconds(30)) ?? .signalled(SIGKILL)
    }

    /// SIGTERM, then how it ended; nil when it still runs after `timeout` (it is then killed).
    func terminate(within timeout: Duration) async -> ProcessExit? {
        guard let process else { return nil }
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGTERM) }
        if let exit = await launcher.wait(for: process, timeout: timeout) { return exit }
        _ = await kill()
        return nil
    }

    /// The last lines of the log, for a report of an unexpected exit.
    func logTail(lines: Int = 5) -> String {
        let url = launcher.directory.appendingPathComponent("serve-\(name).log")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}
