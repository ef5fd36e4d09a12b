import Foundation

/// Reads Oxylabs' JSON answers into ``RemoteJob`` and ``ResultPage`` values.
///
/// Pure and strict about what Harvest relies on (the id is a string, a status is present), lenient about
/// everything else: unknown fields are ignored, optional ones may be missing or null.
public enum OxylabsDecoding {
    /// A problem with an answer's shape; it never quotes the body, which may be large.
    public struct Malformed: Error, Equatable, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { "malformed Oxylabs answer: \(reason)" }
    }

    /// The job object of `POST /v1/queries`, `GET /v1/queries/{id}` and callbacks.
    public static func job(_ body: Data) throws(Malformed) -> RemoteJob {
        try job(from: parse(body))
    }

    /// The `{"queries": [job, …]}` of a batch submission.
    public static func batch(_ body: Data) throws(Malformed) -> [RemoteJob] {
        guard case .array(let jobs)? = try parse(body)["queries"] else {
            throw Malformed(reason: "batch answer without a \"queries\" list")
        }
        var result: [RemoteJob] = []
        for value in jobs { result.append(try job(from: value)) }
        return result
    }

    /// A results answer, read against the types it was asked for.
    public enum Results: Sendable, Equatable {
        /// Every entry's type is known: its own `type`, or the one type asked for when it has none.
        case pages([ResultPage], job: RemoteJob?)
        /// Entries without a `type` (older samples omit it) answer a call for several types: which entry is
        /// which cannot be told, so each type must be asked for on its own.
        case untyped(job: RemoteJob?)
    }

    /// The `{"results": […], "job": {…}}` of a results call for `requested` types.
    ///
    /// Both fields the documents leave open are tolerated: an entry without `type` takes the type asked for
    /// (several asked for gives ``Results/untyped(job:)``), and `job` may be absent (then `nil`: the answer
    /// says nothing about whether the job faulted).
    public static func results(_ body: Data, requested: [ResultType]) throws(Malformed) -> Results {
        let document = try parse(body)
        guard case .array(let entries)? = document["results"] else {
            throw Malformed(reason: "results answer without a \"results\" list")
        }
        let job = try document["job"].flatMap { value throws(Malformed) -> RemoteJob? in
            if case .object = value { return try Self.job(from: value) }
            return nil
        }
        let assumed = requested.count == 1 ? requested[0] : nil
        var pages: [ResultPage] = []
        for entry in entries {
            guard let page = try page(entry, assumedType: assumed) else { return .untyped(job: job) }
            pages.append(page)
        }
        return .pages(pages, job: job)
    }

    /// The `{"ips": […]}` of the callbacker IPs call.
    public static func callbackerIPs(_ body: Data) throws(Malformed) -> [String] {
        guard case .array(let values)? = try parse(body)["ips"] else {
            throw Malformed(reason: "answer without an \"ips\" list")
        }
        return values.compactMap { if case .string(let ip) = $0 { ip } else { nil } }
    }

    /// The `message` of an error body (`{"message"}` or `{"errors": {"message"}}`), if there is one.
    public static func errorMessage(_ body: Data) -> String? {
        guard let document = try? JSONParser.parse(body) else { return nil }
        if case .string(let message)? = document["message"] { return message }
        if case .string(let message)? = document["errors"]?["message"] { return message }
        return nil
    }

    /// `2026-01-31 12:00:00` (UTC, no zone), as Oxylabs writes times.
    public static func time(_ text: String) -> Date? {
        try? TimeInput.parse(text, defaultZone: .utc)
    }

    private static func parse(_ body: Data) throws(Malformed) -> JSONValue {
        do {
            return try JSONParser.parse(body)
        } catch {
            throw Malformed(reason: "not valid JSON (\(error))")
        }
    }

    static func job(from value: JSONValue) throws(Malformed) -> RemoteJob {
        guard case .object(let fields) = value else { throw Malformed(reason: "a job is not an object") }
        guard case .string(let id)? = fields["id"], !id.isEmpty, id.utf8.allSatisfy({ (48...57).contains($0) }) else {
            throw Malformed(reason: "job without a decimal string \"id\"")
        }
        guard case .string(let status)? = fields["status"] else {
            throw Malformed(reason: "job \(id) without a \"status\"")
        }
        return RemoteJob(
            id: id,
            status: RemoteJobStatus(status),
            createdAt: fields["created_at"]?.stringValue.flatMap(time),
            updatedAt: fields["updated_at"]?.stringValue.flatMap(time),
            clientNotes: fields["client_notes"]?.stringValue,
            url: fields["url"]?.stringValue,
            query: fields["query"]?.stringValue
        )
    }

    /// One entry; nil when it has no `type` and no single type was asked for (`assumedType` is nil).
    private static func page(_ value: JSONValue, assumedType: ResultType?) throws(Malformed) -> ResultPage? {
        guard case .object(let fields) = value else { throw Malformed(reason: "a result entry is not an object") }
        let type: ResultType
        switch fields["type"] {
        case nil, .null?:
            guard let assumedType else { return nil }
            type = assumedType
        case .string(let name)?:
            guard let known = ResultType(rawValue: name) else {
                throw Malformed(reason: "result entry of an unknown \"type\" \(name.quotedForMessage)")
            }
            type = known
        default:
            throw Malformed(reason: "result entry whose \"type\" is not a string")
        }
        let page: Int
        switch fields["page"] {
        case .integer(let number)? where number >= 1 && number <= 100_000: page = Int(number)
        case nil: page = 1
        default: throw Malformed(reason: "result entry with a bad \"page\"")
        }
        let statusCode: Int? = if case .integer(let code)? = fields["status_code"] { Int(code) } else { nil }
        let content: ResultContent
        switch (type, fields["content"]) {
        case (.png, .string(let base64)?):
            guard let bytes = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) else {
                throw Malformed(reason: "png content is not Base64")
            }
            content = .bytes(Array(bytes))
        case (.parsed, .some(let json)) where json.stringValue == nil:
            content = .json(json.canonicalText)
        case (_, .string(let text)?):
            content = .text(text)
        case (_, nil), (_, .null?):
            content = .text("")
        default:
            throw Malformed(reason: "result entry with unexpected content")
        }
        return ResultPage(
            type: type,
            page: page,
            statusCode: statusCode,
            url: fields["url"]?.stringValue,
            content: content
        )
    }
}
