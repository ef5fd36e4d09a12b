/// A queued job about to be sent.
public struct SubmissionCandidate: Sendable, Equatable {
    public var id: Int64
    public var batchKey: String
    public var url: String?
    public var query: String?
    /// The user's payload, JSON object text.
    public var payload: String

    public init(id: Int64, batchKey: String, url: String?, query: String?, payload: String) {
        self.id = id
        self.batchKey = batchKey
        self.url = url
        self.query = query
        self.payload = payload
    }

    /// The value that differs between jobs of one batch.
    var target: String { url ?? query ?? "" }
    var targetKey: String { url != nil ? "url" : "query" }
}

/// One request to Oxylabs: a single job, or a batch of jobs that share every parameter but the target.
public struct SubmissionRequest: Sendable, Equatable {
    public var jobIDs: [Int64]
    public var isBatch: Bool
    /// The JSON body to send.
    public var body: String
    /// Each job's `url` or `query`, in `jobIDs` order, to match the batch answer back to the jobs.
    public var targets: [String]
}

/// Turns claimed jobs into as few requests as possible: jobs that share a batch key go out together as
/// a batch (up to 5,000 values), others one by one.
public enum SubmissionPlan {
    /// Oxylabs' batch limit.
    public static let maximumBatch = 5000

    /// The requests for `jobs`, in job order. Single jobs carry their local id in `client_notes` (so a
    /// submission can be traced after a crash); every job carries `callbackURL` when there is one.
    public static func requests(
        for jobs: [SubmissionCandidate],
        callbackURL: String?,
        maximumBatch: Int = SubmissionPlan.maximumBatch
    ) -> [SubmissionRequest] {
        var groups: [String: [SubmissionCandidate]] = [:]
        var order: [String] = []
        for job in jobs {
            let key = job.batchKey + "|" + job.targetKey
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(job)
        }
        var requests: [SubmissionRequest] = []
        for key in order {
            let group = groups[key]!
            var start = 0
            while start < group.count {
                let chunk = Array(group[start..<min(start + maximumBatch, group.count)])
                start += chunk.count
                if chunk.count == 1 {
                    requests.append(single(chunk[0], callbackURL: callbackURL))
                } else {
                    requests.append(batch(chunk, callbackURL: callbackURL))
                }
            }
        }
        return requests
    }

    /// Pairs the jobs Oxylabs answered with the local jobs of `request`: by position when the targets
    /// agree, otherwise by target value. Jobs left unmatched are missing from the result.
    public static func match(_ request: SubmissionRequest, answers: [RemoteJob]) -> [Int64: RemoteJob] {
        func target(_ job: RemoteJob) -> String? {
            if let url = job.url, !url.isEmpty { return url }
            if let query = job.query, !query.isEmpty { return query }
            return nil
        }
        if !request.isBatch, answers.count == 1 { return [request.jobIDs[0]: answers[0]] }
        if answers.count == request.jobIDs.count,
            zip(answers, request.targets).allSatisfy({ answer, expected in target(answer).map { $0 == expected } ?? true
            })
        {
            return Dictionary(uniqueKeysWithValues: zip(request.jobIDs, answers))
        }
        var waiting: [String: [Int64]] = [:]
        for (id, value) in zip(request.jobIDs, request.targets) { waiting[value, default: []].append(id) }
        var matched: [Int64: RemoteJob] = [:]
        for answer in answers {
            guard let value = target(answer), var ids = waiting[value], !ids.isEmpty else { continue }
            matched[ids.removeFirst()] = answer
            waiting[value] = ids
        }
        return matched
    }

    private static func single(_ job: SubmissionCandidate, callbackURL: String?) -> SubmissionRequest {
        var members = object(job.payload)
        members["client_notes"] = .string("harvest job \(job.id)")
        if let callbackURL { members["callback_url"] = .string(callbackURL) }
        return SubmissionRequest(
            jobIDs: [job.id],
            isBatch: false,
            body: JSONValue.object(members).canonicalText,
            targets: [job.target]
        )
    }

    private static func batch(_ jobs: [SubmissionCandidate], callbackURL: String?) -> SubmissionRequest {
        var members = object(jobs[0].payload)
        members[jobs[0].targetKey] = .array(jobs.map { .string($0.target) })
        members["client_notes"] = .string("harvest jobs \(jobs.map { String($0.id) }.joined(separator: ","))")
        if let callbackURL { members["callback_url"] = .string(callbackURL) }
        return SubmissionRequest(
            jobIDs: jobs.map(\.id),
            isBatch: true,
            body: JSONValue.object(members).canonicalText,
            targets: jobs.map(\.target)
        )
    }

    private static func object(_ payload: String) -> [String: JSONValue] {
        // Stored payloads were validated as JSON objects when they were queued.
        if case .object(let members)? = try? JSONValue.parse(payload) { return members }
        return [:]
    }
}
