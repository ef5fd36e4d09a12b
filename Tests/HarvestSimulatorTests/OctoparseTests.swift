import Foundation
import HarvestCore
import HarvestSimulator
import NIOHTTP1
import Testing

// Shared fixtures of the Octoparse fake's tests (the `Octoparse…Tests.swift` files): a small
// configuration, a client session with a bearer token, and the ground truth read over HTTP.

/// A small account, so that paging everything stays quick; tests that need the million rows say so.
func octoparseConfiguration(_ change: (inout OctoparseConfiguration) -> Void = { _ in }) -> SimulatorConfiguration {
    var configuration = SimulatorConfiguration()
    configuration.octoparse.rowsPerTask = 250
    configuration.octoparse.largeTaskRows = 5_000
    change(&configuration.octoparse)
    return configuration
}

/// `application/x-www-form-urlencoded`, done right: everything but the unreserved characters escaped.
func formEncoded(_ pairs: [(String, String)]) -> String {
    let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: unreserved)! }
    return pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
}

/// `POST /token` with a form body.
func requestToken(_ base: String, body: String) async throws -> HTTPExchange {
    try await HTTP.send(
        .POST,
        base + "/token",
        headers: [("Content-Type", "application/x-www-form-urlencoded")],
        body: body
    )
}

/// A client of the Octoparse fake holding an access token.
struct OctoparseSession {
    let base: String
    let accessToken: String
    let refreshToken: String

    /// Signs in with the password grant (URL-encoded, as a correct client does).
    static func signIn(
        _ endpoints: SimulatorEndpoints,
        _ configuration: OctoparseConfiguration = .init()
    )
        async throws -> OctoparseSession
    {
        let base = endpoints.octoparseBaseURL
        let exchange = try await requestToken(
            base,
            body: formEncoded([
                ("grant_type", "password"), ("username", configuration.username),
                ("password", configuration.password),
            ])
        )
        try #require(exchange.status == 200, "token: \(exchange.text)")
        let json = try exchange.json()
        return OctoparseSession(
            base: base,
            accessToken: try #require(json["access_token"]?.string),
            refreshToken: try #require(json["refresh_token"]?.string)
        )
    }

    /// A GET with `Authorization: bearer <token>` and the query form-encoded.
    func get(_ path: String, _ query: [(String, String)] = [], token: String? = nil) async throws -> HTTPExchange {
        let url = base + path + (query.isEmpty ? "" : "?" + formEncoded(query))
        return try await HTTP.send(
            .GET,
            url,
            headers: [("Authorization", "bearer \(token ?? accessToken)"), ("Accept", "application/json")]
        )
    }

    /// `data` of a successful answer, after checking the envelope's `error`.
    func data(_ path: String, _ query: [(String, String)] = []) async throws -> JSONValue {
        let exchange = try await get(path, query)
        try #require(exchange.status == 200, "\(path): \(exchange.text.prefix(300))")
        let json = try exchange.json()
        try #require(json["error"] == .string("success"), "\(path): \(exchange.text.prefix(300))")
        return try #require(json["data"])
    }

    /// Every row of a task through `/api/alldata`, page by page.
    func allRows(_ taskID: String, pageSize: Int = 1000) async throws -> [JSONValue] {
        var rows: [JSONValue] = []
        for pageIndex in 1... {
            let data = try await data(
                "/api/alldata",
                [("taskid", taskID), ("pageindex", "\(pageIndex)"), ("pagesize", "\(pageSize)")]
            )
            let page = try #require(data["dataList"]?.array)
            rows += page
            if page.count < pageSize { break }
        }
        return rows
    }

    /// Every row of a time window, page by page.
    func windowRows(_ taskID: String, from: String, to: String, pageSize: Int = 1000) async throws -> [JSONValue] {
        var rows: [JSONValue] = []
        for pageIndex in 1... {
            let data = try await data(
                "/api/alldata/GetDataOfTaskByTimeAndPaging",
                [
                    ("taskid", taskID), ("from", from), ("to", to), ("pageindex", "\(pageIndex)"),
                    ("pagesize", "\(pageSize)"),
                ]
            )
            let page = try #require(data["dataList"]?.array)
            rows += page
            if page.count < pageSize { break }
        }
        return rows
    }
}

/// One line of `GET /__sim/tasks/{id}/rows`.
struct TruthRow {
    var index: Int
    var storageTime: String
    var serverTime: String
    var row: JSONValue
}

/// The ground truth of a task, over HTTP.
func truthRows(_ endpoints: SimulatorEndpoints, _ taskID: String) async throws -> [TruthRow] {
    let exchange = try await HTTP.send(.GET, endpoints.octoparseBaseURL + "/__sim/tasks/\(taskID)/rows")
    try #require(exchange.status == 200)
    return try exchange.body.split(separator: UInt8(ascii: "\n")).map { line in
        let json = try JSONParser.parse(Data(line))
        return TruthRow(
            index: try #require(json["index"]?.int),
            storageTime: try #require(json["storage_time"]?.string),
            serverTime: try #require(json["server_time"]?.string),
            row: try #require(json["row"])
        )
    }
}

/// The task of `kind`, from the in-process ground truth.
func simulatedTask(_ simulator: HarvestSimulator, _ kind: SimulatedTask.Kind) throws -> SimulatedTask {
    try #require(simulator.octoparse.tasks().first { $0.kind == kind })
}

/// Rows as a multiset: how often each distinct row occurs. Long rows are keyed by their start and a hash,
/// so that a failure does not print 100 KB values.
func multiset(_ rows: [JSONValue]) -> [String: Int] {
    rows.reduce(into: [:]) { counts, row in
        let text = row.canonicalText
        let key =
            text.utf8.count <= 200 ? text : "\(text.prefix(120))… (\(text.utf8.count) bytes, hash \(text.hashValue))"
        counts[key, default: 0] += 1
    }
}

/// An in-process row as the JSON object the API sends.
func apiObject(_ row: SimulatedRow) -> JSONValue {
    .object(row.values.mapValues(JSONValue.string))
}

/// `date` as the server writes it in `zone`: `yyyy-MM-dd HH:mm:ss`.
func serverText(_ date: Date, _ zone: UTCOffset = .octoparseDefault) -> String {
    let iso = UTCTime.format(date.addingTimeInterval(TimeInterval(zone.seconds)))
    return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(8))
}
