import Foundation
import HarvestSimulator
import Testing

/// `GET /readyz` as a load balancer or an operator's probe reads it.
@Suite(.serialized) struct ReadinessTests {
    private func environment(_ endpoints: SimulatorEndpoints) -> [String: String] {
        [
            "OXYLABS_BASE_URL": endpoints.oxylabsBaseURL, "OXYLABS_USERNAME": "user", "OXYLABS_PASSWORD": "pass1",
            "OCTOPARSE_BASE_URL": endpoints.octoparseBaseURL, "OCTOPARSE_USERNAME": "harvest-demo",
            "OCTOPARSE_PASSWORD": "p&ss+w%rd 1",
        ]
    }

    private func configuration() -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        configuration.oxylabs.latencyMedian = .milliseconds(200)
        configuration.octoparse.rowsPerTask = 100
        configuration.octoparse.largeTaskRows = 100
        return configuration
    }

    private func prepare(_ workspace: Workspace, _ env: [String: String]) async throws {
        let line = #"{"source":"universal","url":"https://example.com/"}"# + "\n"
        #expect(try workspace.harvest("jobs", "submit", "--file", try workspace.write("jobs.jsonl", line)).status == 0)
        #expect(try await workspace.harvest(async: "tasks", "discover", "--enable", environment: env).status == 0)
    }

    @Test func readyWhenTheDatabaseWritesAndBothProvidersAcceptTheCredentials() async throws {
        try await HarvestSimulator.withRunning(configuration()) { _, endpoints in
            let workspace = try Workspace()
            let env = environment(endpoints)
            try await prepare(workspace, env)
            let service = try ServiceProcess(workspace, environment: env)
            try await eventually("the job is done") {
                try await workspace.harvest(async: "jobs", "wait", "1", "--timeout", "1s").status == 0
            }
            let ready = await service.get("/readyz")
            #expect(ready?.status == 200)
            #expect(ready?.body == "database ok\noxylabs ok\noctoparse ok\n")
            #expect(await service.terminate() == 0, "\(service.stderr)")
        }
    }

    @Test func unreadyNamingTheProviderWhoseCredentialsAreRefused() async throws {
        for refused in ["oxylabs", "octoparse"] {
            try await HarvestSimulator.withRunning(configuration()) { _, endpoints in
                let workspace = try Workspace()
                var env = environment(endpoints)
                try await prepare(workspace, env)
                // Another Octoparse user: the token the discovery stored belongs to the right one.
                if refused == "oxylabs" {
                    env["OXYLABS_PASSWORD"] = "wrong-password-1234"
                } else {
                    env["OCTOPARSE_USERNAME"] = "someone-else"
                    env["OCTOPARSE_PASSWORD"] = "wrong-password-1234"
                }
                let service = try ServiceProcess(workspace, environment: env)
                try await eventually("/readyz says \(refused) is refused") {
                    await service.get("/readyz")?.status == 503
                }
                let body = await service.get("/readyz")?.body ?? ""
                let lines = body.split(separator: "\n").map(String.init)
                #expect(lines.first == "database ok")
                #expect(lines.contains { $0.hasPrefix("\(refused) needs-credentials") }, "\(body)")
                let other = refused == "oxylabs" ? "octoparse" : "oxylabs"
                #expect(lines.contains("\(other) ok"), "\(body)")
                #expect(!body.contains("wrong-password-1234"))
                // Alive all the same: a restart would not fix the credentials.
                #expect(await service.get("/healthz")?.status == 200)
                #expect(await service.terminate() == 0, "\(service.stderr)")
            }
        }
    }

    @Test func unreadyWhenEverySubmissionIsRefusedWith429ForTooLong() async throws {
        var throttled = configuration()
        throttled.oxylabs.submissionsPerSecond = 0
        try await HarvestSimulator.withRunning(throttled) { _, endpoints in
            let workspace = try Workspace()
            let env = environment(endpoints).filter { $0.key.hasPrefix("OXYLABS_") }
            let line = #"{"source":"universal","url":"https://example.com/"}"# + "\n"
            #expect(try workspace.harvest("jobs", "submit", "--file", try workspace.write("j.jsonl", line)).status == 0)
            let service = try ServiceProcess(workspace, ["--stall-after", "1s"], environment: env)
            try await eventually("/readyz reports the stall") { await service.get("/readyz")?.status == 503 }
            let body = await service.get("/readyz")?.body ?? ""
            #expect(body.hasPrefix("database ok\noxylabs rate-limited: every submission refused with 429 for "), "\(body)")
            #expect(await service.terminate() == 0, "\(service.stderr)")
        }
    }
}
