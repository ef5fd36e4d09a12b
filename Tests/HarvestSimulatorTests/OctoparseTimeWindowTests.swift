import Foundation
import HarvestCore
import HarvestSimulator
import Testing

@Suite struct OctoparseTimeWindowTests {
    /// The truth rows whose server time lies in the window, `to` included or not.
    private func expected(_ truth: [TruthRow], from: String, to: String, inclusive: Bool) -> [JSONValue] {
        truth.filter { $0.serverTime >= from && (inclusive ? $0.serverTime <= to : $0.serverTime < to) }.map(\.row)
    }

    @Test(arguments: [true, false])
    func windowEdgesFollowTheInclusiveToKnob(inclusive: Bool) async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration { $0.toIsInclusive = inclusive }) {
            simulator,
            endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .standard).id
            let truth = try await truthRows(endpoints, taskID)
            // A second holding several rows, so that an edge there matters.
            let counts = truth.reduce(into: [String: Int]()) { $0[$1.serverTime, default: 0] += 1 }
            let from = truth[10].serverTime
            let edge = try #require(truth.first { $0.serverTime > from && counts[$0.serverTime]! >= 2 }?.serverTime)

            let rows = try await session.windowRows(taskID, from: from, to: edge, pageSize: 7)
            let atEdge = rows.filter { row in truth.contains { $0.row == row && $0.serverTime == edge } }
            #expect(atEdge.count == (inclusive ? counts[edge]! : 0))
            #expect(rows == expected(truth, from: from, to: edge, inclusive: inclusive))
            // `from` is always inclusive: the rows stored in the first second are there.
            #expect(rows.first == truth.first { $0.serverTime == from }?.row)

            let total = try await session.data(
                "/api/alldata/GetDataOfTaskByTimeAndPaging",
                [("taskid", taskID), ("from", from), ("to", edge), ("pageindex", "1"), ("pagesize", "1")]
            )
            #expect(total["total"] == .integer(Int64(rows.count)))
            #expect(total["currentTotal"] == .integer(1))
        }
    }

    @Test func windowsCutAtEachSecondTileTheTaskWhenToIsExclusive() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration { $0.toIsInclusive = false }) {
            simulator,
            endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .nasty).id
            let truth = try await truthRows(endpoints, taskID)
            let cuts =
                ["2000-01-01 00:00:00"] + stride(from: 13, to: truth.count, by: 37).map { truth[$0].serverTime }
                + ["2100-01-01 00:00:00"]
            var rows: [JSONValue] = []
            for (from, to) in zip(cuts, cuts.dropFirst()) {
                rows += try await session.windowRows(taskID, from: from, to: to, pageSize: 50)
            }
            #expect(rows.count == truth.count)
            #expect(multiset(rows) == multiset(truth.map(\.row)))
        }
    }

    @Test func fromAndToAreReadInTheServersZone() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .standard).id
            let truth = try await truthRows(endpoints, taskID)
            let start = try #require(UTCTime.parse(truth[40].storageTime))
            let end = try #require(UTCTime.parse(truth[120].storageTime))
            #expect(truth[40].serverTime == serverText(start, .octoparseDefault))

            let local = try await session.windowRows(taskID, from: serverText(start), to: serverText(end))
            let inUTC = truth.filter {
                let time = UTCTime.parse($0.storageTime)!
                return time >= start && time <= end
            }
            #expect(local == inUTC.map(\.row))
            #expect(local.count >= 81)
            // The same instants written in UTC name a window eight hours earlier: other rows.
            let misread = try await session.windowRows(taskID, from: serverText(start, .utc), to: serverText(end, .utc))
            #expect(misread != local)
        }
        let utc = octoparseConfiguration { $0.serverTimeZone = .utc }
        try await HarvestSimulator.withRunning(utc) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .standard).id
            let truth = try await truthRows(endpoints, taskID)
            let start = try #require(UTCTime.parse(truth[40].storageTime))
            #expect(truth[40].serverTime == serverText(start, .utc))
            let rows = try await session.windowRows(taskID, from: serverText(start, .utc), to: serverText(start, .utc))
            #expect(rows.contains(truth[40].row))
        }
    }

    @Test func aWindowInTheMiddleOfTheMillionRowTaskMatchesTheTruth() async throws {
        let configuration = octoparseConfiguration { $0.largeTaskRows = 1_000_000 }
        try await HarvestSimulator.withRunning(configuration) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .large).id
            let rows = try #require(simulator.octoparse.rows(taskID: taskID))
            let from = rows[500_000].storageTime
            let to = from.addingTimeInterval(900)
            var low = 500_000
            while rows[low - 1].storageTime >= from { low -= 1 }
            var high = 500_000
            while rows[high].storageTime <= to { high += 1 }

            let window = try await session.windowRows(taskID, from: serverText(from), to: serverText(to))
            #expect(window.count == high - low)
            #expect(window == rows[low..<high].map(apiObject))
        }
    }

    @Test func malformedTimesAreRefused() async throws {
        try await HarvestSimulator.withRunning(octoparseConfiguration()) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .standard).id
            // The seed's braces are placeholders; sent literally they are not a time.
            let exchange = try await session.get(
                "/api/alldata/GetDataOfTaskByTimeAndPaging",
                [
                    ("taskid", taskID), ("from", "{2025-06-01 00:00:00}"), ("to", "{2025-06-02 00:00:00}"),
                    ("pageindex", "1"), ("pagesize", "10"),
                ]
            )
            #expect(exchange.status == 400)
            #expect(try exchange.field("message") == .string("The request is invalid."))
        }
    }
}
