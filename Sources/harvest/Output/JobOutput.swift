import Foundation
import HarvestCore
import HarvestStore

/// A job as `--json` prints it: the columns of `oxylabs_jobs`, with `payload` as a JSON object.
struct JobOutput: Encodable {
    var id: Int64
    var remote_id: String?
    var source: String
    var url: String?
    var query: String?
    var payload: JSONValue
    var result_types: [String]
    var idempotency_key: String?
    var status: String
    var attempts: Int
    var resubmissions: Int
    var faults: Int
    var polls: Int
    var last_error: String?
    var next_action_at: String?
    var created_at: String
    var submitted_at: String?
    var completed_at: String?
    var updated_at: String

    init(_ job: JobRecord) {
        id = job.id
        remote_id = job.remoteID
        source = job.source
        url = job.url
        query = job.query
        payload = (try? JSONValue.parse(job.payload)) ?? .string(job.payload)
        result_types = job.resultTypes.split(separator: ",").map(String.init)
        idempotency_key = job.idempotencyKey
        status = job.status.rawValue
        attempts = job.attempts
        resubmissions = job.resubmissions
        faults = job.faults
        polls = job.polls
        last_error = job.lastError
        next_action_at = job.nextActionAt
        created_at = job.createdAt
        submitted_at = job.submittedAt
        completed_at = job.completedAt
        updated_at = job.updatedAt
    }

    /// What the job targets: its URL or its query.
    static func target(_ job: JobRecord) -> String {
        job.url ?? job.query.map { "query: \($0)" } ?? ""
    }
}
