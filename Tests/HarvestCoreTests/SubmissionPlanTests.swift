import Foundation
import HarvestCore
import Testing

private func candidate(
    _ id: Int64,
    url: String? = nil,
    query: String? = nil,
    payload: String
) throws -> SubmissionCandidate {
    let request = try JobRequest.validate(try JSONValue.parse(payload), payloadText: payload)
    return SubmissionCandidate(
        id: id,
        batchKey: request.batchKey,
        url: url ?? request.url,
        query: query ?? request.query,
        payload: payload
    )
}

@Suite struct SubmissionPlanTests {
    @Test func jobsSharingParametersGoOutAsOneBatch() throws {
        let jobs = [
            try candidate(1, payload: #"{"source":"universal","url":"https://a.com","render":"html"}"#),
            try candidate(2, payload: #"{"source":"google_search","query":"shoes","parse":true}"#),
            try candidate(3, payload: #"{"render":"html","url":"https://b.com","source":"universal"}"#),
        ]
        let requests = SubmissionPlan.requests(for: jobs, callbackURL: "https://me.example/cb/s3cret")
        #expect(requests.map(\.jobIDs) == [[1, 3], [2]])
        let batch = try JSONValue.parse(requests[0].body)
        #expect(batch["url"] == .array([.string("https://a.com"), .string("https://b.com")]))
        #expect(batch["render"] == .string("html"))
        #expect(batch["callback_url"] == .string("https://me.example/cb/s3cret"))
        #expect(requests[0].isBatch)
        let single = try JSONValue.parse(requests[1].body)
        #expect(single["client_notes"] == .string("harvest job 2"))
        #expect(single["query"] == .string("shoes"))
        #expect(!requests[1].isBatch)
    }

    @Test func batchesAreCutAtTheLimit() throws {
        let jobs = try (1...7).map {
            try candidate(Int64($0), payload: #"{"source":"universal","url":"https://a.com/\#($0)"}"#)
        }
        let requests = SubmissionPlan.requests(for: jobs, callbackURL: nil, maximumBatch: 3)
        #expect(requests.map(\.jobIDs.count) == [3, 3, 1])
        #expect(try JSONValue.parse(requests[0].body)["callback_url"] == nil)
    }

    @Test func answersAreMatchedByPositionOrByTarget() throws {
        let jobs = try [1, 2, 3].map {
            try candidate(Int64($0), payload: #"{"source":"universal","url":"https://a.com/\#($0 == 3 ? 1 : $0)"}"#)
        }
        let request = SubmissionPlan.requests(for: jobs, callbackURL: nil)[0]
        let inOrder = [
            RemoteJob(id: "10", status: .pending, url: "https://a.com/1"),
            RemoteJob(id: "11", status: .pending, url: "https://a.com/2"),
            RemoteJob(id: "12", status: .pending, url: "https://a.com/1"),
        ]
        #expect(SubmissionPlan.match(request, answers: inOrder).mapValues(\.id) == [1: "10", 2: "11", 3: "12"])
        let shuffled = [inOrder[1], inOrder[0], inOrder[2]]
        #expect(SubmissionPlan.match(request, answers: shuffled).mapValues(\.id) == [1: "10", 2: "11", 3: "12"])
        let missing = SubmissionPlan.match(request, answers: [inOrder[1]])
        #expect(missing.mapValues(\.id) == [2: "11"])
    }
}

@Suite struct PollingPolicyTests {
    @Test func theFirstPollComesNearTheExpectedCompletion() {
        var random = SeededGenerator(state: 1)
        let schedule = PollSchedule()
        let model = LatencyModel(median: 3, sigma: 0.5)
        let delays = (0..<200).map { _ in schedule.firstPoll(model: model, using: &random).seconds }
        let expected = 3 * exp(0.25)  // the z = 0.5 quantile
        #expect(delays.allSatisfy { abs($0 - expected) <= expected * 0.1 + 0.001 })
    }

    @Test func laterPollsBackOffGeometricallyUpToTheCap() {
        var random = SeededGenerator(state: 2)
        var schedule = PollSchedule()
        schedule.jitter = 0
        #expect(schedule.nextPoll(elapsed: .seconds(10), using: &random) == .seconds(4))
        #expect(schedule.nextPoll(elapsed: .milliseconds(100), using: &random) == .milliseconds(250))
        #expect(schedule.nextPoll(elapsed: .seconds(3600), using: &random) == .seconds(60))
    }

    @Test func theModelIsLearnedPerSourceAfterEnoughSamples() {
        var history = LatencyHistory(capacity: 50, minimumSamples: 5)
        for seconds in [2.0, 2.5, 3.0, 3.5, 4.0] { history.record(source: "universal", seconds: seconds) }
        #expect(history.model(for: "google_search") == .prior)
        let model = history.model(for: "universal")
        #expect(abs(model.median - 2.9) < 0.1)
        #expect(model.sigma >= 0.15 && model.sigma < 0.4)
        for _ in 0..<200 { history.record(source: "universal", seconds: 10) }
        #expect(history.count(for: "universal") == 50)
        #expect(abs(history.model(for: "universal").median - 10) < 0.01)
    }

    @Test func latencyObservationsUseTheTightestBounds() {
        let submitted = Date(timeIntervalSince1970: 1000)
        // Polls bracket 2..4 s; Oxylabs' whole-second times say 3 s (so 2..4): midpoint 3.
        let both = LatencyObservation.latency(
            submittedAt: submitted,
            lastPendingAt: submitted.addingTimeInterval(2),
            seenDoneAt: submitted.addingTimeInterval(4),
            remoteCreatedAt: Date(timeIntervalSince1970: 50),
            remoteFinishedAt: Date(timeIntervalSince1970: 53)
        )
        #expect(both == 3)
        let pollsOnly = LatencyObservation.latency(
            submittedAt: submitted,
            lastPendingAt: nil,
            seenDoneAt: submitted.addingTimeInterval(5),
            remoteCreatedAt: nil,
            remoteFinishedAt: nil
        )
        #expect(pollsOnly == 2.5)
    }

    @Test func backoffGrowsAndIsCapped() {
        var random = SeededGenerator(state: 3)
        let backoff = Backoff(base: .seconds(1), cap: .seconds(30), jitter: 0)
        #expect(
            (1...7).map { backoff.delay(attempt: $0, using: &random) } == [1, 2, 4, 8, 16, 30, 30].map { .seconds($0) }
        )
    }

    @Test func theSubmissionBudgetFollowsTheAnnouncedLimit() {
        let start = Date(timeIntervalSince1970: 0)
        var budget = SubmissionBudget(limit: 10, now: start)
        #expect(budget.take(upTo: 100, now: start) == 10)
        #expect(budget.take(upTo: 100, now: start) == 0)
        #expect(budget.take(upTo: 100, now: start.addingTimeInterval(0.5)) == 5)
        budget.accepted(jobs: 10, limit: 100, remaining: 0, now: start.addingTimeInterval(0.5))
        #expect(budget.take(upTo: 1000, now: start.addingTimeInterval(1.5)) == 100)
        var random = SeededGenerator(state: 4)
        let until = budget.refused(
            sentAt: start.addingTimeInterval(1.9),
            now: start.addingTimeInterval(2),
            backoff: Backoff(base: .seconds(1), cap: .seconds(5), jitter: 0),
            using: &random
        )
        #expect(until == start.addingTimeInterval(3))
        #expect(budget.take(upTo: 10, now: start.addingTimeInterval(2.9)) == 0)
        // The 429 halved the rate, and the bucket refills only once the pause is over.
        #expect(budget.limit == 50)
        #expect(budget.take(upTo: 10, now: start.addingTimeInterval(3.2)) == 10)
    }
}

/// SplitMix64 for deterministic jitter in tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
