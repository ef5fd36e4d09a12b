import Foundation
import HarvestCore
import HarvestSimulator
import Testing

@testable import OctoparseAPI

/// The rows of a page as name-value maps, to compare with the fake's ground truth.
private func rowMaps(_ page: OctoparsePage) -> [[String: String]] {
    page.rows.map { row in
        var values: [String: String] = [:]
        for (column, value) in row.enumerated() where value != nil { values[page.fields[column]] = value }
        return values
    }
}

/// Every call that takes a page size or size.
private enum DataCall: CaseIterable {
    case allData, lastRun, byTime, byOffset, notExported, notExportedTop, markExported

    func run(_ client: OctoparseClient, taskID: String, size: Int, token: String) async throws(OctoparseError) {
        switch self {
        case .allData: _ = try await client.allData(taskID: taskID, pageIndex: 1, pageSize: size, token: token)
        case .lastRun: _ = try await client.lastRunData(taskID: taskID, pageIndex: 1, pageSize: size, token: token)
        case .byTime:
            _ = try await client.dataByTime(
                taskID: taskID,
                from: Date(timeIntervalSince1970: 0),
                to: Date(),
                zone: .octoparseDefault,
                pageIndex: 1,
                pageSize: size,
                token: token
            )
        case .byOffset: _ = try await client.dataByOffset(taskID: taskID, offset: "0", size: size, token: token)
        case .notExported: _ = try await client.notExported(taskID: taskID, size: size, token: token)
        case .notExportedTop: _ = try await client.notExportedTop(taskID: taskID, size: size, token: token)
        case .markExported: try await client.markExported(taskID: taskID, size: size, token: token)
        }
    }
}

private func task(_ simulator: HarvestSimulator, _ kind: SimulatedTask.Kind) throws -> SimulatedTask {
    try #require(simulator.octoparse.tasks().first { $0.kind == kind })
}

@Suite struct OctoparseClientDataTests {
    @Test func groupsAndTasksMatchTheAccount() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let client = octoparseClient(endpoints)
            let token = try await client.passwordGrant().accessToken
            let truth = simulator.octoparse.tasks()
            let groups = try await client.taskGroups(token: token)
            #expect(Set(groups.map(\.id)) == Set(truth.map { Int64($0.groupID) }))
            var listed: [OctoparseTaskSummary] = []
            for group in groups {
                let name = try #require(truth.first { Int64($0.groupID) == group.id }?.groupName)
                #expect(group.name == name)
                listed += try await client.tasks(groupID: group.id, token: token)
            }
            #expect(Set(listed.map(\.id)) == Set(truth.map(\.id)))
            for task in listed { #expect(task.name == truth.first { $0.id == task.id }?.name) }
            // One task has an empty name, as the API allows.
            #expect(listed.contains { $0.name.isEmpty })
            #expect(try await client.tasks(groupID: 987_654_321, token: token).isEmpty)
        }
    }

    @Test(arguments: [401, 200])
    func aRefusedTokenIsUnauthorizedWhateverTheStatus(status: Int) async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration { $0.unauthorizedStatus = status }) {
            simulator,
            endpoints in
            let client = octoparseClient(endpoints)
            let taskID = try task(simulator, .standard).id
            let expected = OctoparseError.unauthorized("access_token invalid")
            await #expect(throws: expected) { try await client.taskGroups(token: "not-a-token") }
            await #expect(throws: expected) {
                try await client.allData(taskID: taskID, pageIndex: 1, pageSize: 10, token: "not-a-token")
            }
            await #expect(throws: expected) {
                try await client.markExported(taskID: taskID, size: 10, token: "not-a-token")
            }
            #expect(expected.isRetryable)
            #expect(simulator.octoparse.stats.count("401") == 3)
        }
    }

    @Test(arguments: [200, 400])
    func anUnknownTaskIsTaskNotFound(status: Int) async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration { $0.taskErrorStatus = status }) {
            _,
            endpoints in
            let client = octoparseClient(endpoints)
            let token = try await client.passwordGrant().accessToken
            let unknown = "00000000-0000-0000-0000-000000000000"
            let error = await #expect(throws: OctoparseError.self) {
                try await client.allData(taskID: unknown, pageIndex: 1, pageSize: 10, token: token)
            }
            guard case .taskNotFound = error else {
                Issue.record("expected taskNotFound, got \(String(describing: error))")
                return
            }
            #expect(error?.isRetryable == false)
            // A task id full of reserved characters is sent encoded, and refused the same way.
            await #expect(throws: error!) {
                try await client.lastRunData(taskID: "a&pagesize=5 b+c%", pageIndex: 1, pageSize: 10, token: token)
            }
        }
    }

    @Test(arguments: [0, 1001, -1])
    func aPageSizeOutsideTheRangeIsNeverSent(size: Int) async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let client = octoparseClient(endpoints)
            let token = try await client.passwordGrant().accessToken
            let taskID = try task(simulator, .standard).id
            let before = try await simulatorStats(endpoints)
            for call in DataCall.allCases {
                let error = await #expect(throws: OctoparseError.self) {
                    try await call.run(client, taskID: taskID, size: size, token: token)
                }
                guard case .rejected(let code, _) = error else {
                    Issue.record("\(call): expected rejected, got \(String(describing: error))")
                    continue
                }
                #expect(code == "export_pagesize_error")
                #expect(error?.isRetryable == false)
            }
            #expect(try await simulatorStats(endpoints) == before)
            // The bounds themselves are sent.
            #expect(try await client.allData(taskID: taskID, pageIndex: 1, pageSize: 1, token: token).rows.count == 1)
            #expect(
                try await client.allData(taskID: taskID, pageIndex: 1, pageSize: 1000, token: token).rows.count == 250
            )
        }
    }

    @Test func aBodyCutShortIsTransientAndNeverADataPage() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let client = octoparseClient(endpoints)
            let token = try await client.passwordGrant().accessToken
            let taskID = try task(simulator, .standard).id
            simulator.octoparse.setFaults(FaultRates(malformedBody: 1))
            let error = await #expect(throws: OctoparseError.self) {
                try await client.allData(taskID: taskID, pageIndex: 1, pageSize: 100, token: token)
            }
            guard case .transient = error else {
                Issue.record("expected transient, got \(String(describing: error))")
                return
            }
            await #expect(throws: OctoparseError.self) { try await client.taskGroups(token: token) }
            #expect(simulator.octoparse.stats.count("fault.malformed") == 2)
            simulator.octoparse.setFaults(.none)
            #expect(
                try await client.allData(taskID: taskID, pageIndex: 1, pageSize: 100, token: token).rows.count == 100
            )
        }
    }

    @Test func dataByTimeReturnsTheRowsStoredInTheWindowAsTheServerReadsIt() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let client = octoparseClient(endpoints)
            let token = try await client.passwordGrant().accessToken
            let taskID = try task(simulator, .standard).id
            let truth = try #require(simulator.octoparse.rows(taskID: taskID))
            let from = truth[40].storageTime
            let to = truth[120].storageTime
            // `to` is inclusive in the fake by default; `from` always is.
            let expected = truth.filter { $0.storageTime >= from && $0.storageTime <= to }.map(\.values)
            #expect(expected.count >= 81)

            var rows: [[String: String]] = []
            var pageIndex = 1
            while true {
                let page = try await client.dataByTime(
                    taskID: taskID,
                    from: from,
                    to: to,
                    zone: simulator.configuration.octoparse.serverTimeZone,
                    pageIndex: pageIndex,
                    pageSize: 17,
                    token: token
                )
                #expect(page.total == expected.count)
                if page.rows.isEmpty { break }
                rows += rowMaps(page)
                pageIndex += 1
            }
            #expect(rows == expected)

            // The same instants written in the wrong zone name a window eight hours away: other rows.
            let misread = try await client.dataByTime(
                taskID: taskID,
                from: from,
                to: to,
                zone: .utc,
                pageIndex: 1,
                pageSize: 1000,
                token: token
            )
            #expect(rowMaps(misread) != expected)
        }
    }

    @Test func aServerInUTCReadsTheWindowWrittenInUTC() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration { $0.serverTimeZone = .utc }) {
            simulator,
            endpoints in
            let client = octoparseClient(endpoints)
            let token = try await client.passwordGrant().accessToken
            let taskID = try task(simulator, .standard).id
            let truth = try #require(simulator.octoparse.rows(taskID: taskID))
            let from = truth[10].storageTime
            let to = truth[30].storageTime
            let page = try await client.dataByTime(
                taskID: taskID,
                from: from,
                to: to,
                zone: .utc,
                pageIndex: 1,
                pageSize: 1000,
                token: token
            )
            #expect(rowMaps(page) == truth.filter { $0.storageTime >= from && $0.storageTime <= to }.map(\.values))
        }
    }

    @Test func allDataLastRunAndOffsetPagesCoverTheTask() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let client = octoparseClient(endpoints)
            let token = try await client.passwordGrant().accessToken
            let taskID = try task(simulator, .standard).id
            let truth = try #require(simulator.octoparse.rows(taskID: taskID)).map(\.values)

            let first = try await client.allData(taskID: taskID, pageIndex: 1, pageSize: 100, token: token)
            let third = try await client.allData(taskID: taskID, pageIndex: 3, pageSize: 100, token: token)
            #expect(first.total == 250 && first.currentTotal == 100)
            #expect(rowMaps(first) == Array(truth[0..<100]))
            #expect(rowMaps(third) == Array(truth[200..<250]))

            let lastRun = try await client.lastRunData(taskID: taskID, pageIndex: 1, pageSize: 1000, token: token)
            #expect(!lastRun.rows.isEmpty)
            #expect(rowMaps(lastRun) == Array(truth.suffix(lastRun.rows.count)))

            var offset = "0"
            var byOffset: [[String: String]] = []
            while true {
                let page = try await client.dataByOffset(taskID: taskID, offset: offset, size: 90, token: token)
                byOffset += rowMaps(page)
                guard let next = page.offset, next != offset, page.restTotal != 0, !page.rows.isEmpty else { break }
                offset = next
            }
            #expect(byOffset == truth)
        }
    }

    @Test func getTopRepeatsUntilMarkedExportedAndNotExportedConsumes() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let client = octoparseClient(endpoints)
            let token = try await client.passwordGrant().accessToken
            let taskID = try task(simulator, .standard).id
            let truth = try #require(simulator.octoparse.rows(taskID: taskID)).map(\.values)

            let top = try await client.notExportedTop(taskID: taskID, size: 40, token: token)
            let again = try await client.notExportedTop(taskID: taskID, size: 40, token: token)
            #expect(top == again)
            #expect(rowMaps(top) == Array(truth[0..<40]))
            try await client.markExported(taskID: taskID, size: 40, token: token)
            #expect(try task(simulator, .standard).exportedRows == 40)
            let next = try await client.notExportedTop(taskID: taskID, size: 40, token: token)
            #expect(rowMaps(next) == Array(truth[40..<80]))
            try await client.markExported(taskID: taskID, size: 40, token: token)

            // The one-phase call marks what it returns at once.
            let taken = try await client.notExported(taskID: taskID, size: 30, token: token)
            #expect(rowMaps(taken) == Array(truth[80..<110]))
            #expect(try task(simulator, .standard).exportedRows == 110)
        }
    }

    @Test func aPostToAGetRouteIsRejectedWithTheMessage() async throws {
        // The client never does this; the mapping of the bare `{"message"}` envelope is checked with
        // the 405 the fake answers to a POST on a data route.
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { _, endpoints in
            let client = octoparseClient(endpoints)
            let token = try await client.passwordGrant().accessToken
            let answer = try await client.send(.POST, "/api/alldata", query: [("taskid", "x")], token: token)
            let error = #expect(throws: OctoparseError.self) {
                try answer.decode { bytes throws(OctoparseAnswerError) in try OctoparseDecoding.page(bytes) }
            }
            #expect(
                error
                    == .rejected(code: "error", message: "The requested resource does not support http method 'POST'.")
            )
        }
    }
}

@Suite struct FormEncodingTests {
    @Test func everythingButTheUnreservedCharactersIsEscaped() {
        #expect(FormEncoding.escape("p&ss+w%rd 1") == "p%26ss%2Bw%25rd%201")
        #expect(FormEncoding.escape("AZaz09-._~") == "AZaz09-._~")
        #expect(FormEncoding.escape("é/=?#") == "%C3%A9%2F%3D%3F%23")
        #expect(
            FormEncoding.encode([("from", "2025-06-01 08:00:00"), ("a b", "")])
                == "from=2025-06-01%2008%3A00%3A00&a%20b="
        )
    }
}
