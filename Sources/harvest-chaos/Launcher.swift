import Foundation
import Synchronization

/// How a child process ended.
enum ProcessExit: Equatable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)

    init(_ process: Process) {
        self =
            process.terminationReason == .uncaughtSignal
            ? .signalled(process.terminationStatus) : .exited(process.terminationStatus)
    }

    var description: String {
        switch self {
        case .exited(let status): "exit status \(status)"
        case .signalled(let signal): "signal \(signal)"
        }
    }
}

/// What one short `harvest` command did.
struct CommandResult {
    var exit: ProcessExit
    var stdout: String
    var stderr: String
}

/// Starts `harvest` child processes with the run's environment and makes sure none outlives the runner:
/// each is started under `setpriv --pdeathsig KILL` (the kernel kills it when the runner dies, however it
/// dies) and recorded, so that a signal to the runner or the end of the run kills what is left.
///
/// Children are started on the main thread: the parent-death signal follows the thread that started the
/// child, and the main thread lives as long as the runner.
@MainActor final class Launcher {
    let harvest: URL
    let environment: [String: String]
    let directory: URL
    private static let setpriv = URL(fileURLWithPath: "/usr/bin/setpriv")

    /// The processes started and not yet seen to end, by pid: what a signal handler must kill.
    nonisolated static let live = Mutex<Set<Int32>>([])

    init(harvest: URL, environment: [String: String], directory: URL) {
        self.harvest = harvest
        self.environment = environment
        self.directory = directory
    }

    /// Starts `harvest ARGUMENTS`, stdout and stderr to the given files (nil: discarded).
    func launch(
        _ arguments: [String],
        extraEnvironment: [String: String] = [:],
        stdout: FileHandle? = nil,
        stderr: FileHandle? = nil
    ) throws -> Process {
        let process = Process()
        if FileManager.default.isExecutableFile(atPath: Self.setpriv.path) {
            process.executableURL = Self.setpriv
            process.arguments = ["--pdeathsig", "KILL", "--", harvest.path] + arguments
        } else {
            process.executableURL = harvest
            process.arguments = arguments
        }
        process.environment = environment.merging(extraEnvironment) { $1 }
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout ?? FileHandle.nullDevice
        process.standardError = stderr ?? FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        Self.live.withLock { _ = $0.insert(pid) }
        return process
    }

    /// Waits for `process` to end, polling; nil when it still runs after `timeout`.
    func wait(for process: Process, timeout: Duration) async -> ProcessExit? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(10))
        }
        forget(process)
        return ProcessExit(process)
    }

    /// The process ended: no signal handler needs to kill it any more.
    func forget(_ process: Process) {
        let pid = process.processIdentifier
        Self.live.withLock { _ = $0.remove(pid) }
    }

    /// Runs a short `harvest` command to its end (killed after `timeout`).
    func run(
        _ arguments: [String],
        extraEnvironment: [String: String] = [:],
        timeout: Duration = .seconds(120)
    ) async throws -> CommandResult {
        let out = directory.appendingPathComponent(".out-\(UUID().uuidString)")
        let err = directory.appendingPathComponent(".err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        let process = try launch(arguments, extraEnvironment: extraEnvironment, stdout: outHandle, stderr: errHandle)
        var exit = await wait(for: process, timeout: timeout)
        if exit == nil {
            Foundation.kill(process.processIdentifier, SIGKILL)
            exit = await wait(for: process, timeout: .seconds(10))
        }
        return CommandResult(
            exit: exit ?? .signalled(SIGKILL),
            stdout: String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self)
        )
    }

    /// Kills every child still alive (SIGKILL): at the end of a run, on failure, and on a signal.
    nonisolated static func killAll() {
        let pids = live.withLock { pids in
            defer { pids.removeAll() }
            return pids
        }
        for pid in pids { Foundation.kill(pid, SIGKILL) }
    }

    /// On SIGINT, SIGTERM or SIGHUP the runner kills its children and exits 128 + the signal.
    nonisolated static func killChildrenOnSignals() {
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                killAll()
                FileHandle.standardError.write(Data("harvest-chaos: stopped by signal \(number)\n".utf8))
                Foundation.exit(128 + number)
            }
            source.resume()
            signalSources.append(source)
        }
    }

    /// Kept alive for the whole run; written once, at start, before any signal can come.
    private nonisolated(unsafe) static var signalSources: [any DispatchSourceSignal] = []
}
