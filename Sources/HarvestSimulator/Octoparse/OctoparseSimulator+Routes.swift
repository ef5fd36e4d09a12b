import Foundation
import HTTPTypes
import HarvestCore
import Hummingbird
import NIOCore

extension OctoparseSimulator {
    /// The router of the fake: the API (paths and parameter names in any case, as upstream), and the
    /// ground truth under `/__sim/`, never behind auth and never faulted.
    public func makeRouter() -> Router<SimulatorContext> {
        let router = Router(context: SimulatorContext.self, options: .caseInsensitive)
        router.add(
            middleware: FaultInjectionMiddleware(
                rates: { [self] in faults },
                random: random,
                stats: stats,
                serverErrors: Self.serverErrors
            )
        )
        router.post("/token") { [self] request, context in
            try await token(request, context)
        }
        get(router, "/api/taskgroup") { [self] _, _ throws(APIError) in taskGroups() }
        get(router, "/api/task") { [self] query, _ throws(APIError) in try tasks(query) }
        get(router, "/api/alldata") { [self] query, now throws(APIError) in try allData(query, now) }
        get(router, "/api/alldata/GetDataOfTaskByTimeAndPaging") { [self] query, now throws(APIError) in
            try dataByTime(query, now)
        }
        get(router, "/api/alldata/GetLastDataOfTaskByPaging") { [self] query, now throws(APIError) in
            try lastRunData(query, now)
        }
        get(router, "/api/alldata/GetDataOfTaskByOffset") { [self] query, now throws(APIError) in
            try dataByOffset(query, now)
        }
        get(router, "/api/notexportdata") { [self] query, now throws(APIError) in
            try notExported(query, now, confirm: true)
        }
        get(router, "/api/notexportdata/gettop") { [self] query, now throws(APIError) in
            try notExported(query, now, confirm: false)
        }
        router.post("/api/notexportdata/update") { [self] request, _ in
            stats.record("POST /api/notexportdata/update")
            return answer(request) { query, _ throws(APIError) in try confirmTop(query) }
        }
        router.get("/api/notexportdata/update") { [self] _, _ in methodNotAllowed("GET") }
        addGroundTruthRoutes(to: router)
        return router
    }

    /// The API's 5xx answers, in its own envelope; the status of a `server_error` is not documented, so
    /// one answer carries it with 200.
    private static let serverErrors: [(HTTPResponse.Status, String, String)] = {
        let body = #"{"error":"server_error","error_Description":"Server Error. Please try again later!"}"#
        let json = "application/json; charset=utf-8"
        return [(.internalServerError, json, body), (.serviceUnavailable, json, body), (.ok, json, body)]
    }()

    /// Registers a data call: GET answers, POST is refused with 405 as the real server does.
    private func get(
        _ router: Router<SimulatorContext>,
        _ path: String,
        _ handler: @escaping @Sendable (FormFields, Date) throws(APIError) -> Response
    ) {
        router.get(RouterPath(path)) { [self] request, _ in
            stats.record("GET \(path)")
            return answer(request, handler)
        }
        router.post(RouterPath(path)) { [self] _, _ in methodNotAllowed("POST") }
    }

    /// Checks the bearer token, then runs `handler` with the query parameters; errors become the API's
    /// error envelopes.
    private func answer(
        _ request: Request,
        _ handler: (FormFields, Date) throws(APIError) -> Response
    ) -> Response {
        let now = now()
        guard let token = Self.bearerToken(request), tokens.accepts(token, at: now) else {
            stats.record("401")
            return JSONResponse.text(
                HTTPResponse.Status(code: configuration.unauthorizedStatus),
                #"{"error":"unauthorized","error_Description":"access_token invalid"}"#
            )
        }
        do {
            return try handler(FormFields(request.uri.query ?? ""), now)
        } catch {
            stats.record(error.code)
            return error.response(taskErrorStatus: HTTPResponse.Status(code: configuration.taskErrorStatus))
        }
    }

    /// The token of `Authorization: bearer <token>`; the scheme in any case.
    private static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization]?.trimmingCharacters(in: .whitespaces),
            let space = header.firstIndex(of: " "), header[..<space].lowercased() == "bearer"
        else { return nil }
        let token = header[space...].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    private func methodNotAllowed(_ method: String) -> Response {
        stats.record("405")
        return JSONResponse.message(
            .methodNotAllowed,
            "The requested resource does not support http method '\(method)'."
        )
    }
}

/// The API's refusals of a data call, each with its envelope.
enum APIError: Error {
    /// The task is unknown, or not the account's.
    case taskID
    /// A page size or size outside 1–1000.
    case pageSize
    /// A parameter missing or malformed (a page index, a time): ASP.NET's model-binding answer.
    case invalidRequest

    var code: String {
        switch self {
        case .taskID: "taskid_error"
        case .pageSize: "export_pagesize_error"
        case .invalidRequest: "400"
        }
    }

    func response(taskErrorStatus: HTTPResponse.Status) -> Response {
        switch self {
        case .taskID:
            JSONResponse.text(
                taskErrorStatus,
                #"{"error":"taskid_error","error_Description":"TaskID is invalid or the task does not belong to you."}"#
            )
        case .pageSize:
            JSONResponse.text(
                taskErrorStatus,
                #"{"error":"export_pagesize_error","error_Description":"Size range from 1 to 1000"}"#
            )
        case .invalidRequest:
            JSONResponse.message(.badRequest, "The request is invalid.")
        }
    }
}
