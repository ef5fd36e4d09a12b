import Foundation
import Testing

/// `make chaos` as part of `make test`: the built runner, as a subprocess, for two minutes
/// (`HARVEST_CHAOS_DURATION` overrides it), must find no violation.
@Suite struct ChaosRunTests {
    /// A product SwiftPM built next to this test bundle (a missing one fails this test, not the whole run).
    private static func product(_ name: String) throws -> URL {
        let candidates =
            [Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])]
            .compactMap { $0?.deletingLastPathComponent() }
            + [Bundle.main.bundleURL.deletingLastPathComponent()]
        for directory in candidates {
            let url = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        Issue.record("\(name) not found beside the tests (looked in \(candidates.map(\.path)))")
        throw CancellationError()
    }

    @Test(.timeLimit(.minutes(10))) func twoMinutesOfKillsAndFaultsBreakNoInvariant() async throws {
        let duration = ProcessInfo.processInfo.environment["HARVEST_CHAOS_DURATION"] ?? "2m"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chaos-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let out = directory.appendingPathComponent("report.txt")
        let err = directory.appendingPathComponent("progress.txt")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let runner = Process()
        runner.executableURL = try Self.product("harvest-chaos")
        runner.arguments = [
            "--duration", duration, "--seed", "1", "--harvest", try Self.product("harvest").path,
            "--workdir", directory.appendingPathComponent("run").path,
        ]
        runner.standardOutput = try FileHandle(forWritingTo: out)
        runner.standardError = try FileHandle(forWritingTo: err)
        try runner.run()
        // The runner kills its services on SIGTERM; a test cut off by its time limit leaves nothing behind.
        let deadline = ContinuousClock.now + .seconds(540)
        while runner.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(200))
        }
        if runner.isRunning {
            runner.terminate()
            runner.waitUntilExit()
            Issue.record("harvest-chaos still ran after 9 minutes")
        }
        let report = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        let progress = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        #expect(runner.terminationStatus == 0, "\(report)\n\(progress.suffix(2000))")
        #expect(report.contains("\nviolations    0\n"), "\(report)")
        // The run did what it is for: services were killed, and some at a crash point.
        let kills = report.split(separator: "\n").first { $0.hasPrefix("kills ") } ?? ""
        #expect(kills.contains("sigkill") && kills.contains("crashpoint"), "\(report)")
        // A failed run keeps its database and service logs for the post-mortem.
        if runner.terminationStatus == 0 {
            try? FileManager.default.removeItem(at: directory)
        } else {
            Issue.record("kept the run's database and logs in \(directory.path)")
        }
    }
}
