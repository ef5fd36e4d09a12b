import Foundation
import HarvestCore
import HarvestSimulator
import Testing

@Suite struct OctoparsePagingTests {
    @Test func allDataPagesThroughExactlyTheGroundTruth() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            for task in simulator.octoparse.tasks() {
                let paged = try await session.allRows(task.id, pageSize: 40)
                let truth = try await truthRows(endpoints, task.id)
                #expect(paged.count == task.rows)
                #expect(multiset(paged) == multiset(truth.map(\.row)), "\(task.kind)")
                // Pages come in storage order, as the ground truth lists them.
                #expect(paged == truth.map(\.row), "\(task.kind)")
            }
        }
    }

    @Test func aPageCarriesTotalCurrentTotalAndStringValuesOnly() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .standard).id
            let last = try await session.data(
                "/api/alldata",
                [("taskid", taskID), ("pageindex", "7"), ("pagesize", "40")]
            )
            #expect(last["total"] == .integer(250))
            #expect(last["currentTotal"] == .integer(10))
            let rows = try #require(last["dataList"]?.array)
            #expect(rows.count == 10)
            for row in rows {
                guard case .object(let fields) = row else {
                    Issue.record("row is not an object")
                    continue
                }
                #expect(!fields.isEmpty && fields.values.allSatisfy { $0.string != nil })
            }
            let beyond = try await session.data(
                "/api/alldata",
                [("taskid", taskID), ("pageindex", "8"), ("pagesize", "40")]
            )
            #expect(beyond["total"] == .integer(250))
            #expect(beyond["currentTotal"] == .integer(0))
            #expect(beyond["dataList"] == .array([]))
        }
    }

    @Test func theLastRunIsTheTailOfTheTask() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            for kind in [SimulatedTask.Kind.standard, .large, .nasty] {
                let taskID = try simulatedTask(simulator, kind).id
                let all = try await session.allRows(taskID)
                var lastRun: [JSONValue] = []
                for pageIndex in 1... {
                    let data = try await session.data(
                        "/api/alldata/GetLastDataOfTaskByPaging",
                        [("taskid", taskID), ("pageindex", "\(pageIndex)"), ("pagesize", "500")]
                    )
                    let page = try #require(data["dataList"]?.array)
                    lastRun += page
                    if page.count < 500 { break }
                }
                #expect(!lastRun.isEmpty && lastRun.count < all.count, "\(kind)")
                #expect(lastRun == Array(all.suffix(lastRun.count)), "\(kind)")
            }
            let nasty = try simulatedTask(simulator, .nasty).id
            let nastyLast = try await session.data(
                "/api/alldata/GetLastDataOfTaskByPaging",
                [("taskid", nasty), ("pageindex", "1"), ("pagesize", "1")]
            )
            #expect(nastyLast["total"] == .integer(150))
        }
    }

    @Test func offsetPagingReachesTheEndWithOpaqueOffsets() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .standard).id
            var offset = 0
            var rows: [JSONValue] = []
            var rests: [Int] = []
            while true {
                let data = try await session.data(
                    "/api/alldata/GetDataOfTaskByOffset",
                    [("taskid", taskID), ("offset", "\(offset)"), ("size", "60")]
                )
                let page = try #require(data["dataList"]?.array)
                let next = try #require(data["offset"]?.int)
                #expect(data["total"] == .integer(250))
                rows += page
                rests.append(try #require(data["restTotal"]?.int))
                if page.isEmpty { break }
                #expect(next > offset)
                // Not a row count: a client must send back what it was given.
                #expect(next != rows.count)
                offset = next
                if rests.last == 0 { break }
            }
            #expect(rests == [190, 130, 70, 10, 0])
            #expect(rows == (try await session.allRows(taskID)))

            let end = try await session.data(
                "/api/alldata/GetDataOfTaskByOffset",
                [("taskid", taskID), ("offset", "\(offset)"), ("size", "60")]
            )
            #expect(end["dataList"] == .array([]))
            #expect(end["offset"] == .integer(Int64(offset)))
            #expect(end["restTotal"] == .integer(0))
        }
    }

    @Test func aDeepPageOfTheMillionRowTaskIsServedWithoutScanning() async throws {
        let configuration = octoparseConfiguration { $0.largeTaskRows = 1_000_000 }
        try await HarvestSimulator.withRunning(configuration) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .large).id
            let data = try await session.data(
                "/api/alldata",
                [("taskid", taskID), ("pageindex", "333334"), ("pagesize", "3")]
            )
            #expect(data["total"] == .integer(1_000_000))
            let rows = try #require(simulator.octoparse.rows(taskID: taskID))
            #expect(rows.count == 1_000_000)
            #expect(data["dataList"] == .array([rows[999_999]].map(apiObject)))
            #expect(
                rows[999_999].fields.map(\.name) == [
                    "State", "City", "Date", "Humidity", "High Temperatures", "Wind", "Low Temperatures",
                ]
            )
        }
    }
}
