import AsyncHTTPClient
import Foundation
import GRDB
import NIOHTTP1
import Testing

/// `harvest serve` running in the background on a known port, for tests that talk to it while it runs
/// and then signal it.
final class ServiceProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let stderrFile: URL

    /// Starts `harvest serve --listen 127.0.0.1:PORT ARGUMENTS` in the workspace.
    init(_ workspace: Workspace, _ arguments: [String] = [], port: Int? = nil, environment: [String: String]) throws {
        self.port = try port ?? freePort()
        stderrFile = workspace.url.appendingPathComponent(".serve-\(UUID().uuidString).stderr")
        FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.executableURL = HarvestProcess.binary
        process.arguments = ["serve", "--listen", "127.0.0.1:\(self.port)"] + arguments
        process.currentDirectoryURL = workspace.url
        // The test's environment, not the one the suite runs in, says where the database is and which zone.
        var env = ProcessInfo.processInfo.environment
        env["HARVEST_DB"] = nil
        env["OCTOPARSE_TIMEZONE"] = nil
        process.environment = env.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
    }

    deinit {
        kill()
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// What the service wrote on stderr so far.
    var stderr: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    /// GET `path`: the status and body, or nil while nothing listens.
    func get(_ path: String, headers: [String: String] = [:]) async -> (status: Int, body: String)? {
        await send(.GET, path, headers: headers)
    }

    /// A request to the service: the status and body, or nil while nothing listens.
    func send(
        _ method: HTTPMethod,
        _ path: String,
        headers: [String: String] = [:],
        body: String? = nil
    ) async -> (status: Int, body: String)? {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(.init(string: body)) }
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 16 << 20)
            return (Int(response.status.code), String(buffer: body))
        } catch {
            return nil
        }
    }

    func signal(_ number: Int32) {
        Foundation.kill(process.processIdentifier, number)
    }

    /// SIGTERM, then the exit status once it stopped (nil when it is still running 30 s later).
    func terminate() async -> Int32? {
        signal(SIGTERM)
        return await exitStatus(within: .seconds(30))
    }

    /// SIGKILL if still running (a test that failed half-way leaves no process behind).
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
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

/// Polls `condition` every 50 ms until it holds or `timeout` passes; records an issue naming `what` when
/// it never held (unless `orFail` is false) and returns whether it held.
@discardableResult
func eventually(
    _ what: String,
    timeout: Duration = .seconds(60),
    orFail: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    if orFail { Issue.record("timed out waiting until \(what)", sourceLocation: sourceLocation) }
    return false
}
