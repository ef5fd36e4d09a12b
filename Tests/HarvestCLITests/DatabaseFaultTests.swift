import Foundation
import GRDB
import HarvestSimulator
import Testing

/// Another process holding the database's write lock, as a long `sqlite3` session or a backup tool might.
private final class WriteLockHolder: @unchecked Sendable {
    private let connection: DatabaseQueue

    init(_ path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // The point is a transaction left open across calls.
        configuration.allowsUnsafeTransactions = true
        connection = try DatabaseQueue(path: path, configuration: configuration)
        try connection.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "INSERT INTO harvest_events (at, subject) VALUES ('lock', 'holder')")
        }
    }

    func release() throws {
        try connection.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
    }
}

@Suite(.serialized) struct DatabaseFaultTests {
    private func scalar(_ workspace: Workspace, _ sql: String) throws -> Int {
        try DatabaseQueue(path: workspace.database).read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    @Test func aCommandFacingALockedDatabaseSaysSoInOneLineAndChangesNothing() throws {
        let workspace = try Workspace()
        #expect(try workspace.harvest("migrate").status == 0)
        let holder = try WriteLockHolder(workspace.database)
        let refused = try workspace.harvest("jobs", "submit", "--source", "universal", "--url", "https://a.com")
        try holder.release()
        #expect(refused.status == 1)
        #expect(
            refused.stderr.hasSuffix(
                "the database is busy: another process held its write lock for more than 5 s; try again\n"
            )
        )
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs") == 0)
        #expect(try workspace.harvest("jobs", "submit", "--source", "universal", "--url", "https://a.com").status == 0)
    }

    @Test func theServiceRidesOutALockLongerThanItsBusyTimeoutAndLosesNothing() async throws {
        var configuration = SimulatorConfiguration()
        configuration.oxylabs.latencyMedian = .milliseconds(300)
        try await HarvestSimulator.withRunning(configuration) { simulator, endpoints in
            let workspace = try Workspace()
            let lines = (0..<40).map { #"{"source":"universal","url":"https://example.com/\#($0)"}"# }
            let file = try workspace.write("jobs.jsonl", lines.joined(separator: "\n") + "\n")
            #expect(try await workspace.harvest(async: "jobs", "submit", "--file", file).status == 0)
            let env = [
                "OXYLABS_BASE_URL": endpoints.oxylabsBaseURL, "OXYLABS_USERNAME": "user", "OXYLABS_PASSWORD": "pass1",
            ]
            let service = try ServiceProcess(workspace, ["--lease", "2s"], environment: env)
            try await eventually("some jobs are done") {
                try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs WHERE status = 'done'") >= 5
            }
            let holder = try WriteLockHolder(workspace.database)
            // Held past the 5 s busy timeout: every write of the service fails meanwhile.
            try await eventually("the service reports the lock", timeout: .seconds(30)) {
                service.stderr.contains("database is locked") || service.stderr.contains("database is busy")
            }
            try holder.release()
            try await eventually("every job is final") {
                try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs WHERE status = 'done'") == 40
            }
            #expect(await service.terminate() == 0, "\(service.stderr)")
            #expect(try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_results") == 40)
            #expect(try scalar(workspace, "SELECT COUNT(*) FROM harvest_events WHERE subject = 'holder'") == 0)
            // A submit whose answer could not be recorded is sent again and counted; none is lost.
            let resubmitted = try scalar(workspace, "SELECT COALESCE(SUM(resubmissions), 0) FROM oxylabs_jobs")
            #expect(simulator.oxylabs.truth().count == 40 + resubmitted)
        }
    }

    /// `harvest ARGUMENTS` under a file size limit of `kilobytes`, as a full disk would stop it.
    private func harvestWithFileLimit(
        _ workspace: Workspace,
        kilobytes: Int,
        _ arguments: [String]
    ) throws -> ProcessResult {
        let process = try Self.launchWithFileLimit(workspace, kilobytes: kilobytes, arguments)
        let errors = (process.standardError as! Pipe).fileHandleForReading
        let stderr = String(decoding: errors.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: "", stderr: stderr)
    }

    /// Starts `harvest ARGUMENTS` under the limit; its stderr goes to `errors`, else to a pipe.
    private static func launchWithFileLimit(
        _ workspace: Workspace,
        kilobytes: Int,
        _ arguments: [String],
        environment: [String: String] = [:],
        errors: URL? = nil
    ) throws -> Process {
        let command = (["exec", HarvestProcess.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "ulimit -f \(kilobytes); \(command)"]
        process.currentDirectoryURL = workspace.url
        var env = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        env["HARVEST_DB"] = nil
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        if let errors {
            FileManager.default.createFile(atPath: errors.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: errors)
        } else {
            process.standardError = Pipe()
        }
        try process.run()
        return process
    }

    @Test func aFullDiskFailsTheWriteInOneLineAndLeavesTheDatabaseWhole() throws {
        let workspace = try Workspace()
        #expect(try workspace.harvest("migrate").status == 0)
        let lines = (0..<3_000).map {
            #"{"source":"universal","url":"https://example.com/\#($0)/\#(String(repeating: "x", count: 300))"}"#
        }
        let file = try workspace.write("jobs.jsonl", lines.joined(separator: "\n") + "\n")
        let full = try harvestWithFileLimit(workspace, kilobytes: 300, ["jobs", "submit", "--file", file])
        #expect(full.status == 1)
        #expect(
            full.stderr
                == "harvest: error: the database could not be written: the disk may be full (or a file size limit was reached)\n"
        )
        #expect(try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs") == 0)
        let check = try DatabaseQueue(path: workspace.database).read {
            try String.fetchOne($0, sql: "PRAGMA integrity_check")
        }
        #expect(check == "ok")
        // With room again, the same file goes in whole.
        #expect(try workspace.harvest("jobs", "submit", "--file", file).status == 0)
        #expect(try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs") == 3_000)
    }

    @Test func aServiceWhoseDiskFillsLosesNothingAndFinishesOnceThereIsRoom() async throws {
        var configuration = SimulatorConfiguration()
        configuration.oxylabs.latencyMedian = .milliseconds(200)
        try await HarvestSimulator.withRunning(configuration) { simulator, endpoints in
            let workspace = try Workspace()
            let lines = (0..<60).map { #"{"source":"universal","url":"https://example.com/\#($0)"}"# }
            let file = try workspace.write("jobs.jsonl", lines.joined(separator: "\n") + "\n")
            #expect(try await workspace.harvest(async: "jobs", "submit", "--file", file).status == 0)
            let size = try FileManager.default.attributesOfItem(atPath: workspace.database)[.size] as! NSNumber
            let env = [
                "OXYLABS_BASE_URL": endpoints.oxylabsBaseURL, "OXYLABS_USERNAME": "user", "OXYLABS_PASSWORD": "pass1",
            ]
            // Room for a little more than the database holds now: the service fills it, then cannot write.
            let service = try Self.launchWithFileLimit(
                workspace,
                kilobytes: size.intValue / 1024 + 48,
                ["serve", "--listen", "127.0.0.1:0", "--lease", "1s"],
                environment: env,
                errors: workspace.url.appendingPathComponent("serve.stderr")
            )
            try await eventually("the service reports that it cannot write") {
                let log = try String(contentsOf: workspace.url.appendingPathComponent("serve.stderr"), encoding: .utf8)
                return log.contains("disk may be full") || log.contains("I/O error") || log.contains("disk I/O")
            }
            kill(service.processIdentifier, SIGTERM)
            while service.isRunning { try await Task.sleep(for: .milliseconds(20)) }
            #expect(
                try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs WHERE status IN ('failed', 'faulted')") == 0
            )
            let finished = try await HarvestProcess.run(
                ["serve", "--until-idle", "--listen", "127.0.0.1:0", "--lease", "1s"],
                in: workspace.url,
                environment: env
            )
            #expect(finished.status == 0, "\(finished.stderr)")
            #expect(try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs WHERE status = 'done'") == 60)
            #expect(try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_results") == 60)
            let resubmitted = try scalar(workspace, "SELECT COALESCE(SUM(resubmissions), 0) FROM oxylabs_jobs")
            #expect(simulator.oxylabs.truth().count == 60 + resubmitted)
        }
    }

    /// A database whose directory cannot be written: a read-only bind mount (as root, which permissions
    /// do not stop), else a directory without write permission.
    @Test func aReadOnlyDatabaseIsNamedInOneLineAndNothingChanges() throws {
        let workspace = try Workspace()
        let directory = workspace.url.appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = directory.appendingPathComponent("h.sqlite").path
        #expect(
            try workspace.harvest("jobs", "submit", "--db", database, "--source", "universal", "--url", "https://a.com")
                .status == 0
        )
        let submit = [
            HarvestProcess.binary.path, "jobs", "submit", "--db", database, "--source", "universal", "--url",
            "https://b.com",
        ]
        .map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        if getuid() == 0 {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
            let mount =
                "mount --bind '\(directory.path)' '\(directory.path)' && mount -o remount,bind,ro '\(directory.path)'"
            process.arguments = ["-m", "/bin/bash", "-c", "\(mount) && exec \(submit)"]
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.path)
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", "exec \(submit)"]
        }
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path) }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(stderr.hasPrefix("harvest: error: cannot open database \(database): "), "\(stderr)")
        #expect(stderr.contains("read-only file system") || stderr.contains("its directory is not writable"))
        #expect(stderr.split(separator: "\n").count == 1)
        let jobs = try DatabaseQueue(path: database).read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM oxylabs_jobs")
        }
        #expect(jobs == 1)
    }
}
