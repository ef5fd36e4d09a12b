import AsyncHTTPClient
import Foundation
import HarvestCore
import HarvestMetrics
import NIOCore
import NIOHTTP1

/// A typed client of Oxylabs' Push-Pull API: submit (single and batch), job status, results, callbacker
/// IPs. Stateless apart from the shared HTTP client.
public struct OxylabsClient: Sendable {
    public let account: OxylabsAccount
    private let http: HTTPClient
    private let timeout: TimeAmount
    private let authorization: String
    /// Answers larger than this are refused (a results page of a huge site is well below it).
    public static let maximumBodyBytes = 256 << 20

    public init(account: OxylabsAccount, http: HTTPClient, timeout: Duration = .seconds(60)) {
        self.account = account
        self.http = http
        self.timeout = .milliseconds(Int64(timeout.seconds * 1000))
        authorization = "Basic " + Data("\(account.username):\(account.password)".utf8).base64EncodedString()
    }

    /// The result of ``results(id:types:)``.
    public enum ResultsAnswer: Sendable, Equatable {
        /// 204: the job is not done after all.
        case notReady
        case ready(pages: [ResultPage], job: RemoteJob?)
    }

    /// Submits one job; `payload` is the job's JSON object text.
    ///
    /// - Throws: ``OxylabsError/acceptedUnreadable(_:)`` when Oxylabs accepted the job but its answer could
    ///   not be read: the job exists upstream, and submitting it again makes a second one.
    public func submit(_ payload: String) async throws(OxylabsError) -> (job: RemoteJob, rateLimit: RateLimitStatus?) {
        let (job, headers) = try await submitShowingHeaders(payload)
        return (job, RateLimitStatus.read(headers))
    }

    /// Submits one job, as ``submit(_:)``, and returns every header of the answer (for `harvest doctor`,
    /// which shows the rate headers under whatever names the server gives them).
    public func submitShowingHeaders(
        _ payload: String
    ) async throws(OxylabsError) -> (job: RemoteJob, headers: [(name: String, value: String)]) {
        let (body, head) = try await send(.POST, "/v1/queries", body: payload, submission: true)
        return (
            try decodeAccepted { () throws(OxylabsDecoding.Malformed) in try OxylabsDecoding.job(body) },
            head.fields.map { (name: $0.name, value: $0.value) }
        )
    }

    /// Submits a batch: `payload` has `url` or `query` as a list of up to 5,000 values.
    ///
    /// - Throws: ``OxylabsError/acceptedUnreadable(_:)`` as ``submit(_:)`` does.
    public func submitBatch(
        _ payload: String
    ) async throws(OxylabsError) -> (jobs: [RemoteJob], rateLimit: RateLimitStatus?) {
        let (body, headers) = try await send(.POST, "/v1/queries/batch", body: payload, submission: true)
        return (
            try decodeAccepted { () throws(OxylabsDecoding.Malformed) in try OxylabsDecoding.batch(body) },
            Self.rateLimit(headers)
        )
    }

    /// The job's current status.
    public func job(id: String) async throws(OxylabsError) -> RemoteJob {
        let (body, _) = try await send(.GET, "/v1/queries/\(try Self.checked(id))")
        return try decode { () throws(OxylabsDecoding.Malformed) in try OxylabsDecoding.job(body) }
    }

    /// The job's results of `types` (all pages), or ``ResultsAnswer/notReady`` while it is pending.
    ///
    /// One call for all types; when its entries carry no `type` (older answers) and several types were asked
    /// for, one call per type instead, whose entries can only be of that type.
    public func results(id: String, types: [ResultType]) async throws(OxylabsError) -> ResultsAnswer {
        let job: RemoteJob?
        switch try await resultsCall(id: id, types: types) {
        case nil: return .notReady
        case .pages(let pages, let answered)?: return .ready(pages: pages, job: answered)
        case .untyped(let answered)?: job = answered
        }
        var pages: [ResultPage] = []
        var jobs = [job].compactMap { $0 }
        for type in types {
            switch try await resultsCall(id: id, types: [type]) {
            case nil: return .notReady
            case .pages(let typed, let answered)?:
                pages += typed
                if let answered { jobs.append(answered) }
            case .untyped?: throw .transient("results entries without a type in an answer for one type")
            }
        }
        // The least finished view wins: one answer saying faulted or pending outweighs others saying done.
        return .ready(pages: pages, job: jobs.first { $0.status != .done } ?? jobs.first)
    }

    /// One results call: nil for 204 (pending).
    private func resultsCall(id: String, types: [ResultType]) async throws(OxylabsError) -> OxylabsDecoding.Results? {
        guard let body = try await resultsBody(id: id, types: types) else { return nil }
        return try decode { () throws(OxylabsDecoding.Malformed) in
            try OxylabsDecoding.results(body, requested: types)
        }
    }

    /// The body of one results call for `types`, undecoded; nil for 204 (pending). For `harvest doctor`,
    /// which reads the answer's shape (``ResultsShape``).
    public func resultsBody(id: String, types: [ResultType]) async throws(OxylabsError) -> Data? {
        let typeList = types.map(\.rawValue).joined(separator: ",")
        let (body, headers) = try await send(.GET, "/v1/queries/\(try Self.checked(id))/results?type=\(typeList)")
        return body.isEmpty && headers.status == .noContent ? nil : body
    }

    /// The addresses Oxylabs sends callbacks from.
    public func callbackerIPs() async throws(OxylabsError) -> [String] {
        let (body, _) = try await send(.GET, "/v1/info/callbacker_ips")
        return try decode { () throws(OxylabsDecoding.Malformed) in try OxylabsDecoding.callbackerIPs(body) }
    }

    // MARK: Transport

    private struct Head {
        var status: HTTPResponseStatus
        var fields: HTTPHeaders
    }

    /// Sends a request; for a `submission`, an answer whose head said 2xx but whose body could not be read
    /// throws ``OxylabsError/acceptedUnreadable(_:)``: Oxylabs created the jobs before the answer was lost.
    private func send(
        _ method: HTTPMethod,
        _ path: String,
        body: String? = nil,
        submission: Bool = false
    ) async throws(OxylabsError) -> (Data, Head) {
        var request = HTTPClientRequest(url: account.baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let meter = UpstreamRequestMeter(provider: .oxylabs, endpoint: UpstreamEndpoint.oxylabs(path: path))
        var answered: Int?
        defer { meter.finish(status: answered) }
        let response: HTTPClientResponse
        let data: Data
        do {
            response = try await http.execute(request, timeout: timeout)
        } catch {
            throw .transient(Self.describe(error))
        }
        let status = Int(response.status.code)
        do {
            let buffer = try await response.body.collect(upTo: Self.maximumBodyBytes)
            data = Data(buffer.readableBytesView)
        } catch {
            if submission, (200..<300).contains(status) { throw .acceptedUnreadable(Self.describe(error)) }
            throw .transient(Self.describe(error))
        }
        answered = status
        switch status {
        case 200..<300: return (data, Head(status: response.status, fields: response.headers))
        case 400, 405, 413, 422: throw .validation(status: status, message: Self.message(data, status))
        case 401, 403: throw .unauthorized(status: status, message: Self.message(data, status))
        case 404: throw .notFound
        case 429: throw .rateLimited(Self.rateLimit(Head(status: response.status, fields: response.headers)))
        default: throw .transient("HTTP \(status)")
        }
    }

    private func decode<T>(_ work: () throws(OxylabsDecoding.Malformed) -> T) throws(OxylabsError) -> T {
        do {
            return try work()
        } catch {
            throw .transient(error.description)
        }
    }

    /// Decodes the 2xx answer to a submission: one that cannot be read still means the jobs were created.
    private func decodeAccepted<T>(_ work: () throws(OxylabsDecoding.Malformed) -> T) throws(OxylabsError) -> T {
        do {
            return try work()
        } catch {
            throw .acceptedUnreadable(error.description)
        }
    }

    /// Job ids are decimal strings; anything else would let an answer steer the URL.
    private static func checked(_ id: String) throws(OxylabsError) -> String {
        guard !id.isEmpty, id.utf8.count <= 40, id.utf8.allSatisfy({ (48...57).contains($0) }) else {
            throw .validation(status: 0, message: "not an Oxylabs job id")
        }
        return id
    }

    private static func message(_ body: Data, _ status: Int) -> String {
        let message = OxylabsDecoding.errorMessage(body) ?? "HTTP \(status)"
        return String(message.prefix(300))
    }

    /// The allowance the answer's rate headers announce, under any of their namings.
    private static func rateLimit(_ head: Head) -> RateLimitStatus? {
        RateLimitStatus.read(head.fields.map { (name: $0.name, value: $0.value) })
    }

    private static func describe(_ error: any Error) -> String {
        // AsyncHTTPClient's errors name the failure (timeout, reset, connect refused), but the full
        // description of some carries values: `invalidHeaderFieldValues` holds the Authorization header
        // (the credentials or the token) when a secret has a character a header cannot hold. Only the
        // value-free short form of those is kept: this text ends up in logs and in `last_error`.
        if let error = error as? HTTPClientError { return error.shortDescription }
        return String("\(error)".prefix(200))
    }
}

extension OxylabsClient: CustomStringConvertible, CustomReflectable {
    /// Names the account only: the client holds the credentials (as its Authorization header), which must
    /// never reach a description, a dump or a log line, also when a service holding the client is printed.
    public var description: String { "OxylabsClient(\(account))" }

    public var customMirror: Mirror { Mirror(self, children: ["account": account], displayStyle: .struct) }
}
