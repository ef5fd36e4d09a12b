import Foundation
import HarvestCore
import HarvestSimulator
import Testing

@Suite struct OctoparseTaskListTests {
    @Test func groupsAndTasksListEveryTaskOfTheAccount() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let groups = try #require(try await session.data("/api/taskgroup").array)
            #expect(groups.count == 3)
            var listed: [String: String] = [:]
            for group in groups {
                let id = try #require(group["taskGroupId"]?.int)
                #expect(group["taskGroupName"]?.string?.isEmpty == false)
                let tasks = try #require(try await session.data("/api/task", [("taskgroupid", "\(id)")]).array)
                #expect(!tasks.isEmpty)
                for task in tasks {
                    let taskID = try #require(task["taskId"]?.string)
                    listed[taskID] = try #require(task["taskName"]?.string)
                }
            }
            #expect(listed.count == 6)
            #expect(listed.values.contains(""))
            #expect(listed.keys.allSatisfy { (try? TaskID(parsing: $0)) != nil })
            #expect(Set(listed.keys) == Set(simulator.octoparse.tasks().map(\.id)))

            let none = try await session.data("/api/task", [("taskgroupid", "1")])
            #expect(none == .array([]))
        }
    }

    @Test func groundTruthListsTasksWithTheirRowCounts() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { _, endpoints in
            let exchange = try await HTTP.send(.GET, endpoints.octoparseBaseURL + "/__sim/tasks")
            let tasks = try #require(try exchange.field("tasks")?.array)
            let rowsByKind = Dictionary(
                tasks.map { ($0["kind"]?.string ?? "", $0["rows"]?.int ?? -1) },
                uniquingKeysWith: { first, _ in first }
            )
            #expect(rowsByKind == ["large": 5_000, "standard": 250, "nasty": 300, "empty": 0])
            #expect(tasks.allSatisfy { $0["id"]?.string != nil && $0["group_id"]?.int != nil })
        }
    }

    @Test func routesAndParameterNamesAreCaseInsensitive() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .standard).id
            let lower = try await session.get(
                "/api/alldata",
                [("taskid", taskID), ("pageindex", "2"), ("pagesize", "7")]
            )
            let mixed = try await session.get(
                "/API/AllData",
                [("TaskId", taskID.uppercased()), ("PageIndex", "2"), ("PAGESIZE", "7")]
            )
            #expect(lower.status == 200 && mixed.status == 200)
            #expect(try lower.field("data")?["currentTotal"] == .integer(7))
            #expect(lower.text == mixed.text)
            let seedSpelling = try await session.get(
                "/api/alldata/GetLastDataOfTaskByPaging",
                [("taskId", taskID), ("pageIndex", "1"), ("pageSize", "3")]
            )
            let lowerSpelling = try await session.get(
                "/api/alldata/getlastdataoftaskbypaging",
                [("taskid", taskID), ("pageindex", "1"), ("pagesize", "3")]
            )
            #expect(try seedSpelling.field("error") == .string("success"))
            #expect(seedSpelling.text == lowerSpelling.text)
        }
    }

    @Test func aPostToAGetRouteIs405WithTheServersMessage() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let auth = ("Authorization", "bearer \(session.accessToken)")
            for path in ["/api/taskgroup", "/api/alldata", "/api/notexportdata", "/api/alldata/GetDataOfTaskByOffset"] {
                let exchange = try await HTTP.send(.POST, endpoints.octoparseBaseURL + path, headers: [auth], body: "")
                #expect(exchange.status == 405)
                #expect(exchange.text == #"{"message":"The requested resource does not support http method 'POST'."}"#)
            }
            let update = try await HTTP.send(
                .GET,
                endpoints.octoparseBaseURL + "/api/notexportdata/update",
                headers: [auth]
            )
            #expect(update.status == 405)
            #expect(
                try update.field("message") == .string("The requested resource does not support http method 'GET'.")
            )
            #expect(simulator.octoparse.stats.count("405") == 5)
        }
    }

    @Test(arguments: [200, 400])
    func anUnknownTaskIsATaskIDError(status: Int) async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration { $0.taskErrorStatus = status }) { _, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let unknown = "00000000-0000-4000-8000-000000000000"
            let calls: [(String, [(String, String)])] = [
                ("/api/alldata", [("taskid", unknown), ("pageindex", "1"), ("pagesize", "10")]),
                ("/api/alldata/GetDataOfTaskByOffset", [("taskid", unknown), ("offset", "0"), ("size", "10")]),
                ("/api/notexportdata", [("taskid", unknown), ("size", "10")]),
                ("/api/alldata", [("pageindex", "1"), ("pagesize", "10")]),
            ]
            for (path, query) in calls {
                let exchange = try await session.get(path, query)
                #expect(exchange.status == status)
                #expect(try exchange.field("error") == .string("taskid_error"))
                #expect(try exchange.field("error_Description")?.string?.isEmpty == false)
                #expect(try exchange.field("error_description") == nil)
            }
        }
    }

    @Test func pageSizesOutside1To1000AreRefused() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .standard).id
            for size in ["0", "1001", "-5"] {
                let calls: [(String, [(String, String)])] = [
                    ("/api/alldata", [("taskid", taskID), ("pageindex", "1"), ("pagesize", size)]),
                    (
                        "/api/alldata/GetLastDataOfTaskByPaging",
                        [("taskid", taskID), ("pageindex", "1"), ("pagesize", size)]
                    ),
                    ("/api/alldata/GetDataOfTaskByOffset", [("taskid", taskID), ("offset", "0"), ("size", size)]),
                    ("/api/notexportdata", [("taskid", taskID), ("size", size)]),
                    ("/api/notexportdata/gettop", [("taskid", taskID), ("size", size)]),
                ]
                for (path, query) in calls {
                    let exchange = try await session.get(path, query)
                    #expect(exchange.status == 200)
                    #expect(
                        exchange.text
                            == #"{"error":"export_pagesize_error","error_Description":"Size range from 1 to 1000"}"#
                    )
                }
            }
            let largest = try await session.data(
                "/api/alldata",
                [("taskid", taskID), ("pageindex", "1"), ("pagesize", "1000")]
            )
            #expect(largest["currentTotal"] == .integer(250))
            #expect(simulator.octoparse.tasks().allSatisfy { $0.exportedRows == 0 })
        }
    }
}
