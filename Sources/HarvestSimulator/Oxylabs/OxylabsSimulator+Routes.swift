import Foundation
import HTTPTypes
import HarvestCore
import Hummingbird
import NIOCore

extension OxylabsSimulator {
    /// Sources the fake accepts, and whether each takes a `query` (else a `url`).
    static let sources: [String: Bool] = [
        "universal": false, "universal_ecommerce": false, "google": false, "amazon": false, "walmart": false,
        "ebay": false, "etsy": false, "bestbuy": false, "target": false, "google_search": true, "google_ads": true,
        "google_shopping_search": true, "bing_search": true, "amazon_search": true, "amazon_product": true,
        "amazon_pricing": true, "amazon_reviews": true, "walmart_search": true, "youtube_search": true,
    ]

    /// The router of the fake: the API, and the ground truth under `/__sim/`.
    public func makeRouter() -> Router<SimulatorContext> {
        let router = Router(context: SimulatorContext.self)
        router.add(
            middleware: FaultInjectionMiddleware(
                rates: { [self] in faults },
                random: random,
                stats: stats,
                serverErrors: [
                    (.internalServerError, "application/json", #"{"message": "Internal server error"}"#),
                    (.badGateway, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>"),
                    (.serviceUnavailable, "application/json", #"{"message": "Service unavailable"}"#),
                    (
                        HTTPResponse.Status(code: 524, reasonPhrase: "A Timeout Occurred"), "text/html",
                        "<html><body>524: A timeout occurred</body></html>"
                    ),
                ]
            )
        )
        router.post("/v1/queries") { [self] request, context in
            try await submit(request, context, batch: false)
        }
        router.post("/v1/queries/batch") { [self] request, context in
            try await submit(request, context, batch: true)
        }
        router.get("/v1/queries/:id") { [self] request, context in
            stats.record("GET /v1/queries/{id}")
            if let refusal = authenticate(request) { return refusal }
            guard let job = job(context.parameters.get("id") ?? "", countingPoll: true) else { return notFound() }
            return JSONResponse.make(.ok, job.object(at: now()))
        }
        router.get("/v1/queries/:id/results") { [self] request, context in
            stats.record("GET /v1/queries/{id}/results")
            if let refusal = authenticate(request) { return refusal }
            guard let job = job(context.parameters.get("id") ?? "", countingResults: true) else { return notFound() }
            return results(job, types: request.uri.queryParameters.get("type"))
        }
        router.get("/v1/queries/:id/results/:page/content") { [self] request, context in
            stats.record("GET /v1/queries/{id}/results/{page}/content")
            if let refusal = authenticate(request) { return refusal }
            guard let job = job(context.parameters.get("id") ?? "", countingResults: true) else { return notFound() }
            return content(
                job,
                page: context.parameters.get("page", as: Int.self),
                type: request.uri.queryParameters.get("type")
            )
        }
        router.get("/v1/info/callbacker_ips") { [self] request, _ in
            stats.record("GET /v1/info/callbacker_ips")
            if let refusal = authenticate(request) { return refusal }
            return JSONResponse.make(.ok, .object(["ips": .array(configuration.callbackerIPs.map(JSONValue.string))]))
        }
        router.get("/__sim/jobs") { [self] _, _ in
            JSONResponse.make(.ok, .object(["jobs": .array(truth().map(\.json))]))
        }
        router.get("/__sim/stats") { [self] _, _ in
            JSONResponse.make(.ok, .object(["requests": .object(stats.snapshot().mapValues { .integer(Int64($0)) })]))
        }
        router.post("/__sim/faults") { [self] request, context in
            try await updateFaults(request, context)
        }
        return router
    }

    private func notFound() -> Response {
        JSONResponse.message(.notFound, "Job not found.")
    }

    /// HTTP Basic, with the API's three 401 messages.
    private func authenticate(_ request: Request) -> Response? {
        func refuse(_ message: String) -> Response {
            stats.record("401")
            return JSONResponse.message(.unauthorized, message)
        }
        guard let header = request.headers[.authorization] else { return refuse("Authorization header not provided") }
        guard header.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":")
        else { return refuse("Invalid authorization header") }
        guard pair[..<colon] == configuration.username, pair[pair.index(after: colon)...] == configuration.password
        else { return refuse("Client not found") }
        return nil
    }

    private func submit(_ request: Request, _ context: SimulatorContext, batch: Bool) async throws -> Response {
        stats.record(batch ? "POST /v1/queries/batch" : "POST /v1/queries")
        if let refusal = authenticate(request) { return refusal }
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        guard let payload = try? JSONParser.parse(Data(buffer: body)), case .object(let parameters) = payload else {
            return JSONResponse.message(.unprocessableContent, "Request body is not a valid JSON object.")
        }
        let parameterSets: [[String: JSONValue]]
        switch validate(parameters, batch: batch) {
        case .failure(let box): return box.response
        case .success(let sets): parameterSets = sets
        }
        guard let remaining = admit(parameterSets.count) else {
            stats.record("429")
            return JSONResponse.message(.tooManyRequests, "Too many requests.", headers: rateHeaders(remaining: 0))
        }
        let jobs = create(parameterSets)
        let body_: JSONValue = batch ? .object(["queries": .array(jobs)]) : jobs[0]
        return JSONResponse.make(batch ? .ok : .accepted, body_, headers: rateHeaders(remaining: remaining))
    }

    private func rateHeaders(remaining: Int) -> HTTPFields {
        configuration.rateHeaders.fields(limit: configuration.submissionsPerSecond, remaining: remaining)
    }

    /// The API's validation: 400 with `{"message"}` or `{"errors": {"message"}}`.
    private func validate(_ parameters: [String: JSONValue], batch: Bool) -> Result<[[String: JSONValue]], ResponseBox>
    {
        func bad(_ message: String, nested: Bool = false) -> Result<[[String: JSONValue]], ResponseBox> {
            stats.record("400")
            let body: JSONValue =
                nested
                ? .object(["errors": .object(["message": .string(message)])]) : .object(["message": .string(message)])
            return .failure(ResponseBox(JSONResponse.make(.badRequest, body)))
        }
        guard case .string(let source) = parameters["source"] else { return bad("Source is required.", nested: true) }
        guard let takesQuery = Self.sources[source] else { return bad("Unsupported source: \(source).", nested: true) }
        let key = takesQuery ? "query" : "url"
        let other = takesQuery ? "url" : "query"
        if parameters[other] != nil, parameters[other] != .null, parameters[other] != .string("") {
            return bad("Source \(source) takes \(key), not \(other).")
        }
        if let render = parameters["render"], render != .string("html"), render != .string("png") {
            return bad("Invalid render value.")
        }
        if let parse = parameters["parse"], case .bool = parse {
        } else if parameters["parse"] != nil {
            return bad("Invalid parse value.")
        }
        if let callback = parameters["callback_url"] {
            guard case .string(let text) = callback, let url = URL(string: text), url.host != nil,
                ["http", "https"].contains(url.scheme ?? "")
            else { return bad("Invalid callback_url.") }
        }
        var values: [JSONValue]
        switch parameters[key] {
        case .string(let value)? where !batch: values = [.string(value)]
        case .array(let list)? where batch: values = list
        case nil: return bad("\(key) is required for source \(source).")
        default: return bad(batch ? "\(key) must be a list of values." : "\(key) must be a string.")
        }
        guard !values.isEmpty, values.count <= 5000 else { return bad("A batch holds 1 to 5000 values.") }
        for value in values {
            guard case .string(let text) = value, !text.isEmpty else { return bad("Invalid \(key) value.") }
            if !takesQuery {
                guard let url = URL(string: text), url.host != nil,
                    ["http", "https"].contains(url.scheme?.lowercased() ?? "")
                else { return bad("Invalid URL: \(text)") }
            }
        }
        return .success(
            values.map { value in
                var set = parameters
                set[key] = value
                return set
            }
        )
    }

    private func results(_ job: SimulatedJob, types: String?) -> Response {
        let now = now()
        guard job.status(at: now) != "pending" else { return Response(status: .noContent) }
        let requested =
            types.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            ?? [job.parse ? "parsed" : "raw"]
        guard requested.allSatisfy(SimulatedResults.types.contains) else {
            return JSONResponse.message(.badRequest, "Invalid result type.")
        }
        var entries: [JSONValue] = []
        for type in requested {
            for page in 1...job.pages {
                var entry: [String: JSONValue] = [
                    "content": SimulatedResults.content(job, type: type, page: page),
                    "created_at": .string(OxylabsTime.format(job.createdAt)),
                    "updated_at": .string(OxylabsTime.format(job.finishesAt)),
                    "page": .integer(Int64(page)), "url": .string(SimulatedResults.pageURL(job, page: page)),
                    "job_id": .string(job.id),
                    "status_code": .integer(
                        Int64(
                            SimulatedResults.statusCode(
                                job,
                                page: page,
                                seed: seed,
                                notFoundShare: configuration.notFoundShare
                            )
                        )
                    ),
                    "parser_type": .string(type == "parsed" ? "simulated" : ""),
                ]
                if !configuration.resultsOmitType { entry["type"] = .string(type) }
                entries.append(.object(entry))
            }
        }
        var answer: [String: JSONValue] = ["results": .array(entries)]
        if !configuration.resultsOmitJob { answer["job"] = job.object(at: now) }
        return JSONResponse.make(.ok, .object(answer))
    }

    private func content(_ job: SimulatedJob, page: Int?, type: String?) -> Response {
        guard job.status(at: now()) != "pending" else { return Response(status: .noContent) }
        guard let page, (1...job.pages).contains(page) else {
            return JSONResponse.message(.notFound, "Result page not found.")
        }
        var headers = HTTPFields()
        switch type ?? "raw" {
        case "raw":
            headers[.contentType] = "text/html; charset=utf-8"
            return Response(
                status: .ok,
                headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: SimulatedResults.raw(job, page: page)))
            )
        case "parsed":
            return JSONResponse.make(.ok, SimulatedResults.parsed(job, page: page))
        case "png":
            headers[.contentType] = "image/png"
            return Response(
                status: .ok,
                headers: headers,
                body: .init(byteBuffer: ByteBuffer(bytes: SimulatedResults.png(job, page: page)))
            )
        default:
            return JSONResponse.message(.badRequest, "Invalid result type.")
        }
    }

    private func updateFaults(_ request: Request, _ context: SimulatorContext) async throws -> Response {
        guard let update = try await FaultUpdate.read(request) else { return FaultUpdate.refusal }
        setFaults(
            update.applied(to: faults),
            callbackLoss: update.rates["callback_loss"],
            callbackDuplicates: update.rates["callback_duplicates"]
        )
        return JSONResponse.message(.ok, "faults updated")
    }
}

/// A `Response` as a `Result` failure.
struct ResponseBox: Error, @unchecked Sendable {
    let response: Response
    init(_ response: Response) { self.response = response }
}
