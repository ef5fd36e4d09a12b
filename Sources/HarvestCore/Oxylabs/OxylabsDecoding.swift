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

    /// The `{"results": […], "job": {…}}` of the results call.
    public static func results(_ body: Data) throws(Malformed) -> (pages: [ResultPage], job: RemoteJob?) {
        let document = try parse(body)
        guard case .array(let entries)? = document["results"] else {
            throw Malformed(reason: "results answer without a \"results\" list")
        }
        var pages: [ResultPage] = []
        for entry in entries { pages.append(try page(entry)) }
        let job = try document["job"].flatMap { value throws(Malformed) -> RemoteJob? in
            if case .object = value { return try Self.job(from: value) }
            return nil
        }
        return (pages, job)
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

    private static func page(_ value: JSONValue) throws(Malformed) -> ResultPage {
        guard case .object(let fields) = value else { throw Malformed(reason: "a result entry is not an object") }
        guard case .string(let typeName)? = fields["type"], let type = ResultType(rawValue: typeName) else {
            throw Malformed(reason: "result entry without a known \"type\"")
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
