import AsyncHTTPClient
import Foundation
import GRDB
import HarvestCore
import HarvestSimulator
import NIOHTTP1
import Testing

/// A TCP port free right now on loopback (the kernel picks it; the socket is closed again).
func freePort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

@Suite(.serialized) struct CallbackEndToEndTests {
    private func environment(_ endpoints: SimulatorEndpoints) -> [String: String] {
        ["OXYLABS_BASE_URL": endpoints.oxylabsBaseURL, "OXYLABS_USERNAME": "user", "OXYLABS_PASSWORD": "pass1"]
    }

    private func configuration(_ change: (inout OxylabsConfiguration) -> Void = { _ in }) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        configuration.oxylabs.latencyMedian = .milliseconds(300)
        change(&configuration.oxylabs)
        return configuration
    }

    private func submit(_ workspace: Workspace, count: Int) throws {
        let lines = (0..<count).map { #"{"source":"universal","url":"https://example.com/\#($0)"}"# }
        try workspace.harvest(
            "jobs",
            "submit",
            "--file",
            try workspace.write("jobs.jsonl", lines.joined(separator: "\n"))
        )
    }

    /// `harvest serve --until-idle` with callbacks to a free loopback port.
    private func serveWithCallbacks(
        _ workspace: Workspace,
        _ endpoints: SimulatorEndpoints,
        extra: [String] = []
    ) async throws -> ProcessResult {
        let port = try freePort()
        return try await HarvestProcess.run(
            ["serve", "--until-idle", "--listen", "127.0.0.1:\(port)", "--public-url", "http://127.0.0.1:\(port)"]
                + extra,
            in: workspace.url,
            environment: environment(endpoints)
        )
    }

    private func scalar(_ workspace: Workspace, _ sql: String) throws -> Int {
        try DatabaseQueue(path: workspace.database).read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    @Test func callbacksReplacePolling() async throws {
        try await HarvestSimulator.withRunning(configuration()) { simulator, endpoints in
            let workspace = try Workspace()
            try submit(workspace, count: 100)
            let served = try await serveWithCallbacks(workspace, endpoints)
            #expect(served.status == 0, "\(served.stderr)")
            #expect(try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs WHERE status = 'done'") == 100)
            #expect(try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_results") == 100)
            #expect(simulator.oxylabs.stats.count("callback.delivered") >= 100)
            #expect(try scalar(workspace, "SELECT SUM(polls) FROM oxylabs_jobs") <= 2)
        }
    }

    @Test func lostAndDuplicatedCallbacksStillEndEveryJobOnce() async throws {
        let config = configuration {
            $0.callbackLossShare = 0.2
            $0.callbackDuplicateShare = 0.5
        }
        try await HarvestSimulator.withRunning(config) { simulator, endpoints in
            let workspace = try Workspace()
            try submit(workspace, count: 60)
            let served = try await serveWithCallbacks(workspace, endpoints)
            #expect(served.status == 0, "\(served.stderr)")
            #expect(try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs WHERE status = 'done'") == 60)
            #expect(try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_results") == 60)
            #expect(simulator.oxylabs.stats.count("callback.lost") > 0)
            #expect(simulator.oxylabs.truth().count == 60)
        }
    }

    @Test func callbacksFromOutsideTheCallbackerIPsAreRefused() async throws {
        // Oxylabs says its callbacks come from 10.9.9.9; these come from loopback, so only polling works.
        var config = configuration()
        config.oxylabs.callbackerIPs = ["10.9.9.9"]
        config.oxylabs.callbackAttempts = 1
        try await HarvestSimulator.withRunning(config) { simulator, endpoints in
            let workspace = try Workspace()
            try submit(workspace, count: 5)
            let served = try await serveWithCallbacks(workspace, endpoints, extra: ["--check-callback-sender"])
            #expect(served.status == 0, "\(served.stderr)")
            #expect(try scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs WHERE status = 'done'") == 5)
            #expect(simulator.oxylabs.stats.count("callback.failed") == 5)
            #expect(simulator.oxylabs.stats.count("callback.delivered") == 0)
            #expect(try scalar(workspace, "SELECT SUM(polls) FROM oxylabs_jobs") >= 5)
        }
    }

    @Test func bogusCallbacksChangeNothing() async throws {
        try await HarvestSimulator.withRunning(configuration { $0.latencyMedian = .seconds(3600) }) { _, endpoints in
            let workspace = try Workspace()
            try submit(workspace, count: 1)
            let port = try freePort()
            let process = Process()
            process.executableURL = HarvestProcess.binary
            process.arguments = ["serve", "--listen", "127.0.0.1:\(port)", "--public-url", "http://127.0.0.1:\(port)"]
            process.currentDirectoryURL = workspace.url
            process.environment = ProcessInfo.processInfo.environment.merging(environment(endpoints)) { $1 }
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer {
                kill(process.processIdentifier, SIGTERM)
                process.waitUntilExit()
            }
            let base = "http://127.0.0.1:\(port)"
            // Wait for the service to answer and the job to be pending upstream.
            for _ in 0..<400 {
                if (try? scalar(workspace, "SELECT COUNT(*) FROM oxylabs_jobs WHERE status = 'pending'")) == 1,
                    (try? await post("\(base)/healthz", "", method: .GET)) == 200
                {
                    break
                }
                try await Task.sleep(for: .milliseconds(25))
            }
            let secret = try callbackSecret(workspace)
            let before = try workspace.fingerprint()
            let unknown = #"{"id": "7999999999999999999", "status": "done"}"#
            #expect(try await post("\(base)/callbacks/oxylabs/wrong-secret", unknown) == 404)
            #expect(try await post("\(base)/callbacks/oxylabs/\(secret)x", unknown) == 404)
            #expect(try await post("\(base)/callbacks/oxylabs/\(secret)", "not json at all") == 400)
            #expect(try await post("\(base)/callbacks/oxylabs/\(secret)", #"{"id": 12, "status": "done"}"#) == 400)
            #expect(
                try await post("\(base)/callbacks/oxylabs/\(secret)", String(repeating: "[", count: 200_000)) == 413
            )
            #expect(try await post("\(base)/callbacks/oxylabs/\(secret)", unknown) == 200)
            // Nesting deep enough to exhaust a naive parser's stack, within the size cap.
            let deep = String(repeating: "[", count: 30_000) + String(repeating: "]", count: 30_000)
            #expect(try await post("\(base)/callbacks/oxylabs/\(secret)", deep) == 400)
            let nested =
                #"{"id": "1", "status": "done", "x": "# + String(repeating: "{\"a\":", count: 5_000) + "1"
                + String(repeating: "}", count: 5_001)
            #expect(try await post("\(base)/callbacks/oxylabs/\(secret)", nested) == 400)
            // A huge, bogus id and the same callback again are ignored; an id that is not a number is refused.
            let hugeID = #"{"id": ""# + String(repeating: "9", count: 60_000) + #"", "status": "done"}"#
            #expect(try await post("\(base)/callbacks/oxylabs/\(secret)", hugeID) == 200)
            let sqlID = #"{"id": "1' OR '1'='1", "status": "done"}"#
            #expect(try await post("\(base)/callbacks/oxylabs/\(secret)", sqlID) == 400)
            #expect(try await post("\(base)/callbacks/oxylabs/\(secret)", unknown) == 200)
            // Another method, or a path under the secret, is not a callback.
            #expect(try await post("\(base)/callbacks/oxylabs/\(secret)", "", method: .GET) == 404)
            #expect(try await post("\(base)/callbacks/oxylabs/\(secret)/../\(secret)", unknown) == 404)
            #expect(try workspace.fingerprint() == before)
        }
    }

    private func callbackSecret(_ workspace: Workspace) throws -> String {
        try DatabaseQueue(path: workspace.database).read { db in
            try String.fetchOne(db, sql: "SELECT value FROM harvest_secrets WHERE name = 'oxylabs-callback'") ?? ""
        }
    }

    private func post(_ url: String, _ body: String, method: HTTPMethod = .POST) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if method == .POST {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(.init(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try? await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }
}
