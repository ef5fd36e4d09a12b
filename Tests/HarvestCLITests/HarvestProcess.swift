import Foundation
import GRDB

/// What one run of the `harvest` binary did.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the built `harvest` executable as users do: a real process, its own working directory.
enum HarvestProcess {
    /// The `harvest` binary SwiftPM built next to this test bundle.
    static let binary: URL = {
        if let explicit = ProcessInfo.processInfo.environment["HARVEST_BINARY"] {
            return URL(fileURLWithPath: explicit)
        }
        let candidates =
            [Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])]
            .compactMap { $0?.deletingLastPathComponent() }
            + [Bundle.main.bundleURL.deletingLastPathComponent()]
        for directory in candidates {
            let url = directory.appendingPathComponent("harvest")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        fatalError("harvest binary not found beside the tests (looked in \(candidates.map(\.path)))")
    }()

    /// Runs the binary without blocking a thread of the concurrency pool while it waits: tests that
    /// serve the fakes in the same process must leave the pool free for them.
    static func run(
        _ arguments: [String],
        in directory: URL,
        environment: [String: String] = [:]
    ) async throws -> ProcessResult {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Result { try runBlocking(arguments, in: directory, environment: environment) }
                )
            }
        }
    }

    /// Runs the binary and blocks until it exits.
    static func runBlocking(
        _ arguments: [String],
        in directory: URL,
        environment: [String: String] = [:],
        stdin: Data? = nil
    ) throws -> ProcessResult {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["HARVEST_DB"] = nil
        env["OCTOPARSE_TIMEZONE"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = directory.appendingPathComponent(".stdout-\(UUID().uuidString)")
        let err = directory.appendingPathComponent(".stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self)
        )
    }
}

/// A scratch working directory per test.
final class Workspace {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("harvest-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    var database: String { url.appendingPathComponent("harvest.sqlite").path }

    @discardableResult
    func harvest(
        _ arguments: String...,
        environment: [String: String] = [:],
        stdin: Data? = nil
    ) throws -> ProcessResult {
        try HarvestProcess.runBlocking(arguments, in: url, environment: environment, stdin: stdin)
    }

    /// The same, from async code: waits on its own thread.
    @discardableResult
    func harvest(async arguments: String..., environment: [String: String] = [:]) async throws -> ProcessResult {
        try await HarvestProcess.run(arguments, in: url, environment: environment)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    /// Row counts of every table and the rows of the small ones: equal fingerprints, unchanged database.
    func fingerprint() throws -> String {
        let queue = try DatabaseQueue(path: database)
        return try queue.read { db in
            let tables = try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
            return try tables.map { table in
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\" ORDER BY 1")
                return "\(table): \(rows.count) \(rows.map(\.description).joined(separator: ";"))"
            }.joined(separator: "\n")
        }
    }
}
