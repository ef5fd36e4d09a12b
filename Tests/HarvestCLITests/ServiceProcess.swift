import AsyncHTTPClient
import Foundation
import GRDB

/// `harvest serve` running in the background on a known port, for tests that talk to it while it runs
/// and then signal it.
final class ServiceProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let stderrFile: URL

    /// Starts `harvest serve --listen 127.0.0.1:PORT ARGUMENTS` in the workspace.
    init(_ workspace: Workspace, _ arguments: [String] = [], environment: [String: String]) throws {
        port = try freePort()
        stderrFile = workspace.url.appendingPathComponent(".serve-\(UUID().uuidString).stderr")
        FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.executableURL = HarvestProcess.binary
        process.arguments = ["serve", "--listen", "127.0.0.1:\(port)"] + arguments
        process.currentDirectoryURL = workspace.url
        var env = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        env["HARVEST_DB"] = nil
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// What the service wrote on stderr so far.
    var stderr: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    /// GET `path`: the status and body, or nil while nothing listens.
    func get(_ path: String) async -> (status: Int, body: String)? {
        do {
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: baseURL + path),
                timeout: .seconds(10)
            )
            let body = try await response.body.collect(upTo: 16 << 20)
            return (Int(response.status.code), String(buffer: body))
        } catch {
            return nil
        }
    }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// The exit status once the process ends, or nil when it is still running after `timeout`.
    func exitStatus(within timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }
}

/// Polls `condition` until it holds or `timeout` passes; true when it held.
func eventually(
    within timeout: Duration = .seconds(60),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
