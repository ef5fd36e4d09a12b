import Foundation
import HarvestCore
import HarvestSimulator
import Testing

@Suite struct OctoparseLiveTests {
    private let configuration = octoparseConfiguration {
        $0.live = true
        $0.liveRowsPerSecond = 10
        $0.liveLateCommitShare = 0.3
        $0.liveCommitDelay = .seconds(5)
    }

    @Test func theLiveTaskGrowsWithTheClockAndStopsWhenPaused() async throws {
        let clock = ManualClock()
        try await HarvestSimulator.withRunning(configuration, now: clock.source) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let live = try simulatedTask(simulator, .live)
            #expect(live.rows <= 1)
            clock.advance(by: 10)
            let growing = try simulatedTask(simulator, .live).rows
            #expect(growing > 50 && growing < 101)

            let paused = try await HTTP.send(.POST, endpoints.octoparseBaseURL + "/__sim/live/pause", body: "")
            #expect(paused.status == 200)
            clock.advance(by: 5)
            let final = try simulatedTask(simulator, .live).rows
            #expect(final == 101)
            clock.advance(by: 600)
            #expect(try simulatedTask(simulator, .live).rows == final)
            let truth = try await truthRows(endpoints, live.id)
            let paged = try await session.allRows(live.id, pageSize: 30)
            #expect(multiset(paged) == multiset(truth.map(\.row)))
            let lastRun = try await session.data(
                "/api/alldata/GetLastDataOfTaskByPaging",
                [("taskid", live.id), ("pageindex", "1"), ("pagesize", "1")]
            )
            #expect(lastRun["total"] == .integer(101))

            simulator.octoparse.resumeLive()
            clock.advance(by: 2)
            let resumed = try await session.data(
                "/api/alldata/GetLastDataOfTaskByPaging",
                [("taskid", live.id), ("pageindex", "1"), ("pagesize", "1000")]
            )
            let newRun = try #require(resumed["dataList"]?.array)
            #expect(!newRun.isEmpty && newRun.count <= 21)
            #expect(try simulatedTask(simulator, .live).rows == 101 + newRun.count)
        }
    }

    @Test func lateCommittedRowsAppearInAWindowAlreadyRead() async throws {
        let clock = ManualClock()
        try await HarvestSimulator.withRunning(configuration, now: clock.source) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .live).id
            let from = serverText(clock.now)
            clock.advance(by: 10)
            let to = serverText(clock.now)
            let early = try await session.windowRows(taskID, from: from, to: to)
            let earlyTruth = try await truthRows(endpoints, taskID)
            #expect(early == earlyTruth.map(\.row))

            simulator.octoparse.pauseLive()
            clock.advance(by: 5)
            let late = try await session.windowRows(taskID, from: from, to: to)
            #expect(late.count == 101)
            #expect(late.count > early.count)
            // The newcomers are older than rows already read: a window is not final when first read.
            let lateTruth = try await truthRows(endpoints, taskID)
            let seen = Set(earlyTruth.map(\.index))
            let newcomers = lateTruth.filter { !seen.contains($0.index) }
            #expect(newcomers.contains { $0.index < earlyTruth.last!.index })
        }
    }

    @Test func offsetPagingNeverReturnsARowCommittedBehindItsOffset() async throws {
        let clock = ManualClock()
        try await HarvestSimulator.withRunning(configuration, now: clock.source) { simulator, endpoints in
            let session = try await OctoparseSession.signIn(endpoints)
            let taskID = try simulatedTask(simulator, .live).id
            clock.advance(by: 10)
            let first = try await session.data(
                "/api/alldata/GetDataOfTaskByOffset",
                [("taskid", taskID), ("offset", "0"), ("size", "1000")]
            )
            let offset = try #require(first["offset"]?.int)
            let seen = try #require(first["dataList"]?.array).count
            simulator.octoparse.pauseLive()
            clock.advance(by: 5)
            let rest = try await session.data(
                "/api/alldata/GetDataOfTaskByOffset",
                [("taskid", taskID), ("offset", "\(offset)"), ("size", "1000")]
            )
            // Every row was committed by now, but those behind the offset are out of this call's reach.
            #expect(rest["total"] == .integer(101))
            #expect(seen + (rest["dataList"]?.array?.count ?? 0) < 101)
        }
    }
}
