import Foundation
import HarvestCore

extension HarvestDatabase {
    /// Queues every line of a JSON Lines file of jobs in one transaction, or none when a line is bad
    /// (`harvest jobs submit --file`, `POST /admin/jobs`). Line `n` gets the key `key#n`, so that a
    /// retried upload returns the same jobs.
    public func enqueue(
        _ lines: JobLines,
        idempotencyKey: String?,
        now: Date
    ) throws -> [EnqueueOutcome] {
        var outcomes: [EnqueueOutcome] = []
        try enqueueJobs(now: now) { enqueue in
            try lines.forEachJob { line, request in
                outcomes.append(try enqueue(request, IdempotencyKey.forLine(line, of: idempotencyKey)))
            }
            guard !outcomes.isEmpty else { throw InputError("no jobs: give one JSON object per line") }
        }
        return outcomes
    }
}
