import Foundation
import HarvestCore
import HarvestSimulator
import Testing

@Suite struct OctoparseFaultTests {
    @Test func serverFaultsAnswerTheAPIsServerErrorEnvelopeAndSpareTheGroundTruth() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let base = endpoints.octoparseBaseURL
            let set = try await HTTP.send(.POST, base + "/__sim/faults", body: #"{"server_error": 1}"#)
            #expect(set.status == 200)
            #expect(simulator.octoparse.faults.serverError == 1)
            var statuses: Set<Int> = []
            for _ in 0..<30 {
                let exchange = try await session.get("/api/taskgroup")
                statuses.insert(exchange.status)
                #expect(try exchange.field("error") == .string("server_error"))
                #expect(try exchange.field("error_Description")?.string?.isEmpty == false)
            }
            // The status of a server_error is undocumented: 500, 503, and sometimes 200.
            #expect(statuses.isSubset(of: [500, 503, 200]) && statuses.contains(500))
            #expect(simulator.octoparse.stats.count("fault.5xx") == 30)
            let truth = try await HTTP.send(.GET, base + "/__sim/tasks")
            #expect(truth.status == 200)

            simulator.octoparse.setFaults(.none)
            #expect(try await session.get("/api/taskgroup").field("error") == .string("success"))
        }
    }

    @Test func faultsFromTheConfigurationApplyToTokenRequestsToo() async throws {
        var configuration = octoparseConfiguration()
        configuration.octoparse.faults = FaultRates(serverError: 1)
        try await HarvestSimulator.withRunning(configuration) { _, endpoints in
            let exchange = try await requestToken(endpoints.octoparseBaseURL, body: "grant_type=password")
            #expect(try exchange.field("error") == .string("server_error"))
        }
    }

    @Test func statsCountRequestsByEndpointAndGrant() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .standard).id
            _ = try await session.data("/api/taskgroup")
            _ = try await session.data("/api/taskgroup")
            _ = try await session.allRows(taskID, pageSize: 100)
            _ = try await HTTP.send(.GET, endpoints.octoparseBaseURL + "/api/taskgroup")
            let stats = try await HTTP.send(.GET, endpoints.octoparseBaseURL + "/__sim/stats")
            let requests = try #require(try stats.field("requests"))
            #expect(requests["GET /api/taskgroup"] == .integer(3))
            #expect(requests["GET /api/alldata"] == .integer(3))
            #expect(requests["token.password"] == .integer(1))
            #expect(requests["401"] == .integer(1))
            #expect(requests["rows.served"] == .integer(250))
        }
    }
}
