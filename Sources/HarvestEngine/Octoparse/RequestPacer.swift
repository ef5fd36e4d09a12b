import Foundation
import HarvestCore

/// Keeps requests to one account under a rate: a token bucket shared by every task syncing at once.
actor RequestPacer {
    private var budget: SubmissionBudget

    init(requestsPerSecond: Double) {
        budget = SubmissionBudget(limit: requestsPerSecond, now: Date())
    }

    /// Waits until one request may be sent.
    func acquire() async {
        while budget.take(upTo: 1, now: Date()) == 0 {
            let wait = max(0.001, budget.nextAllowance(now: Date()).timeIntervalSinceNow)
            try? await Task.sleep(for: .milliseconds(Int64(wait * 1_000) + 1))
        }
    }
}
