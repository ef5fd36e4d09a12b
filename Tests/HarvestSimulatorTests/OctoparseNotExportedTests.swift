import Foundation
import HarvestCore
import HarvestSimulator
import Testing

@Suite struct OctoparseNotExportedTests {
    @Test func notExportedHandsOutTheOldestRowsOnceAndForgetsThem() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .standard).id
            let all = try await session.allRows(taskID)
            var handedOut: [JSONValue] = []
            var totals: [Int] = []
            while true {
                let data = try await session.data("/api/notexportdata", [("taskid", taskID), ("size", "100")])
                totals.append(try #require(data["total"]?.int))
                let page = try #require(data["dataList"]?.array)
                #expect(data["currentTotal"] == .integer(Int64(page.count)))
                if page.isEmpty { break }
                handedOut += page
            }
            // `total` counts what was unexported before each call; a response lost is lost for good.
            #expect(totals == [250, 150, 50, 0])
            #expect(handedOut == all)
            #expect(try simulatedTask(simulator, .standard).exportedRows == 250)
            // Exporting does not change what the paging calls see.
            #expect(try await session.allRows(taskID).count == 250)
        }
    }

    @Test func olderClientsPageSizeParameterIsAccepted() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .standard).id
            let data = try await session.data(
                "/api/notexportdata",
                [("taskid", taskID), ("pageindex", "1"), ("pagesize", "30")]
            )
            #expect(data["currentTotal"] == .integer(30))
            #expect(try simulatedTask(simulator, .standard).exportedRows == 30)
        }
    }

    @Test func getTopRepeatsTheSameRowsUntilUpdateConfirmsThem() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .nasty).id
            let all = try await session.allRows(taskID)
            let first = try await session.get("/api/notexportdata/gettop", [("taskid", taskID), ("size", "120")])
            let again = try await session.get("/api/notexportdata/gettop", [("taskid", taskID), ("size", "120")])
            #expect(first.text == again.text)
            #expect(try first.field("data")?["total"] == .integer(300))
            #expect(try first.field("data")?["dataList"] == .array(Array(all.prefix(120))))
            #expect(try simulatedTask(simulator, .nasty).exportedRows == 0)

            let update = try await HTTP.send(
                .POST,
                endpoints.octoparseBaseURL + "/api/notexportdata/update?taskid=\(taskID)",
                headers: [("Authorization", "bearer \(session.accessToken)")],
                body: ""
            )
            #expect(update.status == 200)
            #expect(try update.field("error") == .string("success"))
            #expect(try simulatedTask(simulator, .nasty).exportedRows == 120)

            let next = try await session.data("/api/notexportdata/gettop", [("taskid", taskID), ("size", "1000")])
            #expect(next["total"] == .integer(180))
            #expect(next["dataList"] == .array(Array(all.dropFirst(120))))
        }
    }

    @Test func updateNeedsAToken() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let taskID = try simulatedTask(simulator, .standard).id
            let update = try await HTTP.send(
                .POST,
                endpoints.octoparseBaseURL + "/api/notexportdata/update?taskid=\(taskID)",
                body: ""
            )
            #expect(update.status == 401)
            #expect(try update.field("error") == .string("unauthorized"))
        }
    }
}
