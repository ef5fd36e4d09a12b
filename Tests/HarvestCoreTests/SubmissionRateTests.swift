import Foundation
import HarvestCore
import Testing

/// The submission rate without an announced limit: additive increase while the rate is used whole,
/// multiplicative decrease on a 429, an announced limit taking over. Time is passed in.
@Suite struct SubmissionRateTests {
    private let start = Date(timeIntervalSince1970: 1_800_000_000)
    private let noJitter = Backoff(base: .seconds(1), cap: .seconds(30), jitter: 0)

    /// Submits as fast as `budget` allows for `seconds`, with `queued` jobs always waiting, in steps of 10 ms;
    /// `refuseAbove` plays a server that answers 429 to any request once more than that many were sent in
    /// the last second. Returns the jobs accepted.
    private func drive(
        _ budget: inout SubmissionBudget,
        from: Date,
        seconds: Double,
        refuseAbove: Int? = nil
    ) -> Int {
        var random = SeededGenerator(state: 1)
        var sent: [Date] = []
        var accepted = 0
        for step in 0..<Int(seconds * 100) {
            let now = from.addingTimeInterval(Double(step) / 100)
            let granted = budget.take(upTo: 5000, now: now)
            guard granted > 0 else { continue }
            budget.giveBack(0)
            sent.removeAll { now.timeIntervalSince($0) >= 1 }
            if let refuseAbove, sent.count + granted > refuseAbove {
                budget.refused(sentAt: now, now: now, backoff: noJitter, using: &random)
                continue
            }
            sent += Array(repeating: now, count: granted)
            accepted += granted
            budget.accepted(jobs: granted, limit: nil, remaining: nil, now: now)
        }
        return accepted
    }

    @Test func withoutAnnouncedLimitTheRateGrowsWhileItIsUsedWhole() {
        var budget = SubmissionBudget(limit: 10, now: start)
        let accepted = drive(&budget, from: start, seconds: 10)
        // About 10/s more each second of full use: near 100/s after ten seconds, where 10/s sent 100 jobs.
        #expect(budget.limit > 80 && budget.limit < 150, "rate \(budget.limit)")
        #expect(accepted > 400, "\(accepted) jobs accepted")
        #expect(budget.rate.announced == nil)
        #expect(budget.rate.refusedAt == nil)
    }

    @Test func aRateThatIsNotUsedWholeDoesNotGrow() {
        var budget = SubmissionBudget(limit: 10, now: start)
        for second in 0..<30 {
            let now = start.addingTimeInterval(Double(second))
            let granted = budget.take(upTo: 5000, now: now)
            budget.giveBack(granted - 3)  // three jobs a second waiting: the rest of the grant is unused
            budget.accepted(jobs: 3, limit: nil, remaining: nil, now: now)
        }
        #expect(budget.limit == 10)
    }

    @Test func aRefusalHalvesTheRateAndGrowthSlowsNearTheRateRefused() {
        var budget = SubmissionBudget(limit: 10, now: start)
        _ = drive(&budget, from: start, seconds: 40, refuseAbove: 100)
        let refused = try! #require(budget.rate.refusedAt)
        #expect(refused > 90 && refused <= 120, "refused at \(refused)")
        // Between cuts the rate spends its time close below the limit, not at half of it.
        let accepted = drive(&budget, from: start.addingTimeInterval(40), seconds: 30, refuseAbove: 100)
        #expect(accepted > 30 * 70, "\(accepted) jobs in 30 s under a limit of 100/s")
        #expect(budget.limit <= 120)
    }

    @Test func refusalsOfOneRoundCutOnceAndPauseOnce() {
        var budget = SubmissionBudget(limit: 100, now: start)
        var random = SeededGenerator(state: 2)
        let sent = start.addingTimeInterval(1)
        let first = budget.refused(sentAt: sent, now: sent.addingTimeInterval(0.05), backoff: noJitter, using: &random)
        // Three more requests of the same round come back refused: sent before the first refusal arrived.
        for delay in [0.06, 0.07, 0.08] {
            let until = budget.refused(
                sentAt: sent,
                now: sent.addingTimeInterval(delay),
                backoff: noJitter,
                using: &random
            )
            #expect(until == first)
        }
        #expect(budget.limit == 50)
        #expect(first == sent.addingTimeInterval(1.05))
        // A request sent after the pause and refused again is a new round: cut again, pause twice as long.
        let again = sent.addingTimeInterval(1.1)
        let second = budget.refused(sentAt: again, now: again, backoff: noJitter, using: &random)
        #expect(budget.limit == 25)
        #expect(second == again.addingTimeInterval(2))
    }

    @Test func anAcceptedSubmissionEndsTheRunOfRefusals() {
        var budget = SubmissionBudget(limit: 10, now: start)
        var random = SeededGenerator(state: 2)
        budget.refused(sentAt: start, now: start, backoff: noJitter, using: &random)
        budget.accepted(jobs: 1, limit: nil, remaining: nil, now: start.addingTimeInterval(1.5))
        let later = start.addingTimeInterval(2)
        #expect(
            budget.refused(sentAt: later, now: later, backoff: noJitter, using: &random) == later.addingTimeInterval(1)
        )
    }

    @Test func anAnnouncedLimitIsTakenAtOnceAndCapsTheRate() {
        var budget = SubmissionBudget(limit: 10, now: start)
        budget.accepted(jobs: 1, limit: 100, remaining: 99, now: start)
        #expect(budget.limit == 100)
        #expect(budget.rate.announced == 100)
        _ = drive(&budget, from: start, seconds: 5)
        #expect(budget.limit == 100)
        // A 429 under the announced limit (another process shares the account) cuts the rate; the same
        // announcement does not undo the cut, growth does, up to the limit.
        var random = SeededGenerator(state: 2)
        let now = start.addingTimeInterval(6)
        budget.refused(sentAt: now, now: now, backoff: noJitter, using: &random)
        budget.accepted(jobs: 1, limit: 100, remaining: 50, now: now.addingTimeInterval(1.1))
        #expect(budget.limit >= 50 && budget.limit < 51, "rate \(budget.limit)")
        // A different limit is news: taken at once.
        budget.accepted(jobs: 1, limit: 40, remaining: 40, now: now.addingTimeInterval(1.2))
        #expect(budget.limit == 40)
    }

    @Test func theRateStaysWithinItsBounds() {
        var rate = SubmissionRate(initial: 2)
        for _ in 0..<10 { rate.refused(sentAt: .distantFuture, now: .distantFuture) }
        #expect(rate.current == 1)
        for _ in 0..<1000 { rate.accepted(jobs: 5000, saturated: true) }
        #expect(rate.current == 1000)
    }
}
