import Foundation
import GRDB
import HarvestCore
import HarvestSimulator
import Testing

/// One log line read back: its fields, whatever the format.
private struct LogLine {
    var fields: [String: String]
    var text: String

    var message: String { fields["msg"] ?? "" }
}

/// A logfmt line split into its pairs; nil when it is not well-formed logfmt.
private func logfmtFields(_ line: String) -> [String: String]? {
    var fields: [String: String] = [:]
    var scalars = Substring(line).unicodeScalars[...]
    while !scalars.isEmpty {
        guard let equals = scalars.firstIndex(of: "=") else { return nil }
        let key = String(scalars[..<equals])
        guard !key.isEmpty, !key.unicodeScalars.contains(where: { $0.value <= 0x20 || $0 == "\"" }) else { return nil }
        scalars = scalars[scalars.index(after: equals)...]
        var value = ""
        if scalars.first == "\"" {
            scalars = scalars.dropFirst()
            var closed = false
            while let scalar = scalars.popFirst() {
                if scalar == "\"" {
                    closed = true
                    break
                }
                if scalar == "\\" {
                    guard let escaped = scalars.popFirst() else { return nil }
                    switch escaped {
                    case "n": value += "\n"
                    case "r": value += "\r"
                    case "t": value += "\t"
                    case "u":
                        let hex = String(String.UnicodeScalarView(scalars.prefix(4)))
                        guard hex.count == 4, let code = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(code)
                        else { return nil }
                        value.unicodeScalars.append(decoded)
                        scalars = scalars.dropFirst(4)
                    default: value.unicodeScalars.append(escaped)
                    }
                } else {
                    value.unicodeScalars.append(scalar)
                }
            }
            guard closed, scalars.isEmpty || scalars.first == " " else { return nil }
        } else {
            while let scalar = scalars.first, scalar != " " {
                guard scalar != "\"", scalar != "=" else { return nil }
                value.unicodeScalars.append(scalar)
                scalars = scalars.dropFirst()
            }
        }
        fields[key] = value
        if scalars.first == " " { scalars = scalars.dropFirst() }
    }
    return fields
}

/// `harvest serve` and `harvest tasks sync` at `--log-level trace`, doing real work against both fakes
/// with distinctive credentials and callbacks on: every log line is well-formed in both formats, job and
/// task events name their job or task, and no password, token or callback secret is ever printed.
@Suite(.serialized) struct StructuredLogsEndToEndTests {
    private static let oxylabsUser = "oxy-user-logs"
    private static let oxylabsPassword = "oxyPASS-9c1e-d4b7-4f2a"
    private static let octoparseUser = "octo-user-logs"
    private static let octoparsePassword = "octoPASS-2e8f-6a9d-77c3"

    private func configuration() -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        configuration.oxylabs.username = Self.oxylabsUser
        configuration.oxylabs.password = Self.oxylabsPassword
        configuration.oxylabs.latencyMedian = .milliseconds(200)
        configuration.oxylabs.notFoundShare = 0
        configuration.octoparse.username = Self.octoparseUser
        configuration.octoparse.password = Self.octoparsePassword
        configuration.octoparse.rowsPerTask = 300
        configuration.octoparse.largeTaskRows = 2_000
        return configuration
    }

    private func environment(_ endpoints: SimulatorEndpoints) -> [String: String] {
        [
            "OXYLABS_BASE_URL": endpoints.oxylabsBaseURL, "OXYLABS_USERNAME": Self.oxylabsUser,
            "OXYLABS_PASSWORD": Self.oxylabsPassword, "OCTOPARSE_BASE_URL": endpoints.octoparseBaseURL,
            "OCTOPARSE_USERNAME": Self.octoparseUser, "OCTOPARSE_PASSWORD": Self.octoparsePassword,
        ]
    }

    /// The stored token pair (the newest grant: each run below makes exactly one).
    private func storedTokens(_ workspace: Workspace) throws -> [String] {
        try DatabaseQueue(path: workspace.database).read { db in
            try Row.fetchAll(db, sql: "SELECT access_token, refresh_token FROM harvest_tokens").flatMap { row in
                [row["access_token"] as String?, row["refresh_token"] as String?].compactMap { $0 }
            }
        }
    }

    private func ageTokenAndCursors(_ workspace: Workspace, now: Date) throws {
        try DatabaseQueue(path: workspace.database).write { db in
            try db.execute(
                sql: "UPDATE harvest_tokens SET obtained_at = ?, expires_at = ?",
                arguments: [
                    UTCTime.format(now.addingTimeInterval(-86_000)), UTCTime.format(now.addingTimeInterval(60)),
                ]
            )
            try db.execute(
                sql: "UPDATE octoparse_tasks SET cursor = ?",
                arguments: [UTCTime.format(now.addingTimeInterval(-3600))]
            )
        }
    }

    private func callbackSecret(_ workspace: Workspace) throws -> String? {
        try DatabaseQueue(path: workspace.database).read { db in
            try String.fetchOne(db, sql: "SELECT value FROM harvest_secrets WHERE name = 'oxylabs-callback'")
        }
    }

    /// The lines of a run's standard error that are log events, parsed; the CLI's own `harvest: …` lines
    /// (the idle summary, the sync progress) are left out.
    private func logLines(_ output: String, format: String) throws -> [LogLine] {
        try output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().compactMap { line in
            let text = String(line)
            if text.hasPrefix("harvest: ") { return nil }
            let fields: [String: String]
            if format == "json" {
                let object = try #require(
                    try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                    "not a JSON object: \(text)"
                )
                fields = object.compactMapValues { $0 as? String }
                #expect(object["label"] is String, "\(text)")
                #expect(object["source"] is String, "\(text)")
            } else {
                fields = try #require(logfmtFields(text), "not logfmt: \(text)")
                #expect(text.hasPrefix("ts="), "\(text)")
            }
            #expect(fields["ts"].flatMap(UTCTime.parse) != nil, "\(text)")
            #expect(
                ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(fields["level"] ?? "")
            )
            #expect(fields["msg"] != nil, "\(text)")
            return LogLine(fields: fields, text: text)
        }
    }

    @Test(arguments: ["logfmt", "json"])
    func logsAreWellFormedNameTheirJobOrTaskAndHoldNoSecret(format: String) async throws {
        try await HarvestSimulator.withRunning(configuration()) { simulator, endpoints in
            let workspace = try Workspace()
            let env = environment(endpoints)
            let lines = (0..<4).map { #"{"source":"universal","url":"https://example.com/logs/\#($0)"}"# }
            let submitted = try workspace.harvest(
                "jobs",
                "submit",
                "--file",
                try workspace.write("jobs.jsonl", lines.joined(separator: "\n"))
            )
            #expect(submitted.status == 0, "\(submitted.stderr)")
            let tasks = simulator.octoparse.tasks().filter { $0.kind == .standard || $0.kind == .nasty }.prefix(2)
            for task in tasks {
                let added = try workspace.harvest("tasks", "add", task.id)
                #expect(added.status == 0, "\(added.stderr)")
            }

            // Jobs through callbacks, tasks synced, the token granted with the password.
            let port = try freePort()
            let served = try await HarvestProcess.run(
                [
                    "serve", "--until-idle", "--listen", "127.0.0.1:\(port)", "--public-url",
                    "http://127.0.0.1:\(port)", "--octoparse-rate", "5000", "--log-level", "trace",
                    "--log-format", format,
                ],
                in: workspace.url,
                environment: env
            )
            #expect(served.status == 0, "\(served.stderr)")
            #expect(simulator.oxylabs.stats.count("callback.delivered") >= 1)
            var issued = try storedTokens(workspace)

            // The stored token made due for refresh, and the tasks' cursors an hour back so that there is
            // a window to read: `tasks sync` refreshes the token.
            try ageTokenAndCursors(workspace, now: Date())
            let synced = try await workspace.harvest(
                async: "tasks",
                "sync",
                "--octoparse-rate",
                "5000",
                "--log-level",
                "trace",
                "--log-format",
                format,
                environment: env
            )
            #expect(synced.status == 0, "\(synced.stderr)")
            issued += try storedTokens(workspace)
            // Both grants are accounted for: every token Octoparse issued is in `issued`.
            #expect(simulator.octoparse.stats.count("POST /token") == 2)
            #expect(issued.count == 4)
            #expect(Set(issued).count == 4)

            let callbackSecret = try #require(try callbackSecret(workspace))
            let secrets =
                [
                    Self.oxylabsPassword, Self.octoparsePassword, callbackSecret,
                    Data("\(Self.oxylabsUser):\(Self.oxylabsPassword)".utf8).base64EncodedString(),
                ] + issued
            for run in [served, synced] {
                for secret in secrets {
                    #expect(!run.stderr.contains(secret), "a secret is in the log")
                    #expect(!run.stdout.contains(secret), "a secret is on standard output")
                }
            }

            let serveLog = try logLines(served.stderr, format: format)
            let syncLog = try logLines(synced.stderr, format: format)
            // Trace level: the libraries' events are there too, and still well-formed.
            #expect(serveLog.contains { $0.fields["level"] == "trace" || $0.fields["level"] == "debug" })
            for line in serveLog + syncLog {
                if line.message.hasPrefix("job ") || line.message.hasPrefix("results ") {
                    #expect(line.fields["job"] != nil, "\(line.text)")
                }
                if line.message.hasPrefix("task ") { #expect(line.fields["task"] != nil, "\(line.text)") }
            }
            let submittedEvents = serveLog.filter { $0.message == "job submitted" }
            #expect(submittedEvents.count == 4)
            #expect(submittedEvents.allSatisfy { $0.fields["remote"] != nil && $0.fields["level"] == "info" })
            let finals = serveLog.filter { $0.message == "job final" }
            #expect(Set(finals.compactMap { $0.fields["job"] }) == ["1", "2", "3", "4"])
            #expect(finals.allSatisfy { $0.fields["status"] == "done" && $0.fields["remote"] != nil })
            #expect(serveLog.filter { $0.message == "results fetched" }.count == 4)
            #expect(serveLog.contains { $0.message == "callback received" && $0.fields["remote"] != nil })
            let taskIDs = Set(tasks.map(\.id))
            #expect(
                Set(serveLog.filter { $0.message == "task window done" }.compactMap { $0.fields["task"] }) == taskIDs
            )
            #expect(Set(serveLog.filter { $0.message == "task synced" }.compactMap { $0.fields["task"] }) == taskIDs)
            #expect(serveLog.contains { $0.message == "token granted" && $0.fields["level"] == "info" })
            #expect(syncLog.contains { $0.message == "token refreshed" && $0.fields["level"] == "info" })
            #expect(!syncLog.contains { $0.message == "token granted" })
        }
    }
}
