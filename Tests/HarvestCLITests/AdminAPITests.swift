import Foundation
import GRDB
import HarvestSimulator
import Testing

/// `POST /admin/jobs` and `GET /admin/status`, behind `HARVEST_ADMIN_TOKEN`.
@Suite(.serialized) struct AdminAPITests {
    private static let token = "admin-token-5d1c9e7a"

    private func environment(_ endpoints: SimulatorEndpoints, token: String? = AdminAPITests.token) -> [String: String]
    {
        var env = [
            "OXYLABS_BASE_URL": endpoints.oxylabsBaseURL, "OXYLABS_USERNAME": "user", "OXYLABS_PASSWORD": "pass1",
        ]
        env["HARVEST_ADMIN_TOKEN"] = token
        return env
    }

    private func jobCount(_ workspace: Workspace) throws -> Int {
        guard FileManager.default.fileExists(atPath: workspace.database) else { return 0 }
        return try DatabaseQueue(path: workspace.database).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM oxylabs_jobs") ?? 0
        }
    }

    private let twoJobs = """
        {"source":"universal","url":"https://example.com/a"}
        {"source":"google_search","query":"adidas","parse":true}

        """

    @Test func jobsQueuedOverHTTPAreHarvestedAndARetryReturnsTheSameJobs() async throws {
        try await HarvestSimulator.withRunning(SimulatorConfiguration()) { _, endpoints in
            let workspace = try Workspace()
            let service = try ServiceProcess(workspace, environment: environment(endpoints))
            try await eventually("the service listens") { await service.get("/healthz")?.status == 200 }
            let headers = ["Authorization": "Bearer \(Self.token)", "Idempotency-Key": "batch-7"]
            let first = await service.send(.POST, "/admin/jobs", headers: headers, body: twoJobs)
            #expect(first?.status == 200)
            #expect(first?.body == #"[{"created":true,"id":1},{"created":true,"id":2}]"# + "\n")
            let again = await service.send(.POST, "/admin/jobs", headers: headers, body: twoJobs)
            #expect(again?.body == #"[{"created":false,"id":1},{"created":false,"id":2}]"# + "\n")
            try await eventually("both jobs are done") {
                try await workspace.harvest(async: "jobs", "wait", "1", "2", "--timeout", "1s").status == 0
            }
            let status = await service.get("/admin/status", headers: ["Authorization": "Bearer \(Self.token)"])
            #expect(status?.status == 200)
            let object = try JSONSerialization.jsonObject(with: Data((status?.body ?? "").utf8)) as? [String: Any]
            #expect((object?["jobs"] as? [String: Any])?["done"] as? Int == 2)
            #expect(await service.terminate() == 0, "\(service.stderr)")
            #expect(!service.stderr.contains(Self.token))
        }
    }

    @Test func withoutTheRightTokenNothingHappens() async throws {
        try await HarvestSimulator.withRunning(SimulatorConfiguration()) { _, endpoints in
            let workspace = try Workspace()
            let service = try ServiceProcess(workspace, environment: environment(endpoints))
            try await eventually("the service listens") { await service.get("/healthz")?.status == 200 }
            for headers in [[:], ["Authorization": "Bearer wrong-token-0000000"], ["Authorization": Self.token]] {
                let posted = await service.send(.POST, "/admin/jobs", headers: headers, body: twoJobs)
                #expect(posted?.status == 401)
                #expect(await service.get("/admin/status", headers: headers)?.status == 401)
            }
            let authorized = ["Authorization": "Bearer \(Self.token)"]
            let bad = await service.send(
                .POST,
                "/admin/jobs",
                headers: authorized,
                body: twoJobs + #"{"source":"universal"}"# + "\n"
            )
            #expect(bad?.status == 400)
            #expect(bad?.body.contains("line 3") == true, "\(bad?.body ?? "")")
            let empty = await service.send(.POST, "/admin/jobs", headers: authorized, body: "\n")
            #expect(empty?.status == 400)
            let huge = await service.send(
                .POST,
                "/admin/jobs",
                headers: authorized,
                body: String(repeating: "x", count: (16 << 20) + 1)
            )
            #expect(huge?.status == 413)
            let badKey = await service.send(
                .POST,
                "/admin/jobs",
                headers: authorized.merging(["Idempotency-Key": String(repeating: "k", count: 201)]) { $1 },
                body: twoJobs
            )
            #expect(badKey?.status == 400)
            #expect(try jobCount(workspace) == 0)
            #expect(await service.terminate() == 0, "\(service.stderr)")
        }
    }

    @Test func withoutATokenTheAdminRoutesDoNotExist() async throws {
        try await HarvestSimulator.withRunning(SimulatorConfiguration()) { _, endpoints in
            let workspace = try Workspace()
            let service = try ServiceProcess(workspace, environment: environment(endpoints, token: nil))
            try await eventually("the service listens") { await service.get("/healthz")?.status == 200 }
            let posted = await service.send(
                .POST,
                "/admin/jobs",
                headers: ["Authorization": "Bearer \(Self.token)"],
                body: twoJobs
            )
            #expect(posted?.status == 404)
            #expect(try jobCount(workspace) == 0)
            #expect(await service.terminate() == 0, "\(service.stderr)")
        }
    }

    @Test func withoutAnOxylabsAccountNoJobIsAcceptedThatNothingWouldSubmit() async throws {
        try await HarvestSimulator.withRunning(SimulatorConfiguration()) { _, endpoints in
            let workspace = try Workspace()
            let env = [
                "OCTOPARSE_BASE_URL": endpoints.octoparseBaseURL, "OCTOPARSE_USERNAME": "harvest-demo",
                "OCTOPARSE_PASSWORD": "p&ss+w%rd 1", "HARVEST_ADMIN_TOKEN": Self.token,
            ]
            let service = try ServiceProcess(workspace, environment: env)
            try await eventually("the service listens") { await service.get("/healthz")?.status == 200 }
            let posted = await service.send(
                .POST,
                "/admin/jobs",
                headers: ["Authorization": "bearer \(Self.token)"],
                body: twoJobs
            )
            #expect(posted?.status == 503)
            #expect(posted?.body.contains("no Oxylabs account is configured") == true)
            #expect(try jobCount(workspace) == 0)
            #expect(await service.terminate() == 0, "\(service.stderr)")
        }
    }

    @Test func aShortTokenIsRefusedAtStart() throws {
        let workspace = try Workspace()
        let env = ["OXYLABS_USERNAME": "u", "OXYLABS_PASSWORD": "p", "HARVEST_ADMIN_TOKEN": "short"]
        let result = try workspace.harvest("serve", environment: env)
        #expect(result.status == 2)
        #expect(result.stderr == "harvest: error: HARVEST_ADMIN_TOKEN is too short: use 16 characters or more\n")
        #expect(!FileManager.default.fileExists(atPath: workspace.database))
    }
}
