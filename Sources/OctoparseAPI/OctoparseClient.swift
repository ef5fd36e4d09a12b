import AsyncHTTPClient
import Foundation
import HarvestCore

/// A typed client of Octoparse's Data Export API (the "legacy" API): token grants, task groups and tasks,
/// and every data call, with errors read from the body whatever the HTTP status. Stateless apart from the
/// shared HTTP client; tokens are the caller's (see `OctoparseTokenKeeper` in HarvestEngine).
///
/// AsyncHTTPClient opens at most 8 connections per host by default. A caller that runs more Octoparse
/// calls at once than that passes an `HTTPClient` configured with a higher
/// `connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit`.
///
/// ```swift
/// let client = OctoparseClient(account: OctoparseAccount(username: user, password: password), http: .shared)
/// let token = try await client.passwordGrant()
/// let page = try await client.allData(taskID: id, pageIndex: 1, pageSize: 1000, token: token.accessToken)
/// ```
public struct OctoparseClient: Sendable {
    public let account: OctoparseAccount
    let http: HTTPClient
    let timeout: Duration
    /// Answers larger than this are refused: a 1,000-row page is a few megabytes at most.
    public static let maximumBodyBytes = 64 << 20
    /// The page sizes (and `size`s) the API accepts; others are refused before any request.
    public static let pageSizes = 1...1000

    /// - Parameter timeout: the deadline of each request, answer body included.
    public init(account: OctoparseAccount, http: HTTPClient, timeout: Duration = .seconds(60)) {
        self.account = account
        self.http = http
        self.timeout = timeout
    }

    // MARK: Tokens

    /// `POST /token` with the password grant.
    ///
    /// - Throws: ``OctoparseError/invalidGrant(_:)`` when the user name or password is refused.
    public func passwordGrant() async throws(OctoparseError) -> OctoparseToken {
        try await grant([
            ("grant_type", "password"), ("username", account.username), ("password", account.password),
        ])
    }

    /// `POST /token` with the refresh grant. The answer usually carries a new refresh token and the old
    /// one stops working.
    ///
    /// - Throws: ``OctoparseError/invalidGrant(_:)`` when the refresh token is unknown, expired or used.
    public func refreshGrant(_ refreshToken: String) async throws(OctoparseError) -> OctoparseToken {
        try await grant([("grant_type", "refresh_token"), ("refresh_token", refreshToken)])
    }

    private func grant(_ form: [(String, String)]) async throws(OctoparseError) -> OctoparseToken {
        let requestedAt = Date()
        let answer = try await send(.POST, "/token", form: form)
        return try answer.decode { bytes throws(OctoparseAnswerError) in
            try OctoparseDecoding.token(bytes, obtainedAt: requestedAt)
        }
    }

    // MARK: Tasks

    /// `GET /api/taskgroup`: the account's task groups.
    public func taskGroups(token: String) async throws(OctoparseError) -> [OctoparseTaskGroup] {
        let answer = try await send(.GET, "/api/taskgroup", token: token)
        return try answer.decode { bytes throws(OctoparseAnswerError) in try OctoparseDecoding.taskGroups(bytes) }
    }

    /// `GET /api/task?taskgroupid`: the group's tasks (an unknown group has none).
    public func tasks(groupID: Int64, token: String) async throws(OctoparseError) -> [OctoparseTaskSummary] {
        let answer = try await send(.GET, "/api/task", query: [("taskgroupid", String(groupID))], token: token)
        return try answer.decode { bytes throws(OctoparseAnswerError) in try OctoparseDecoding.tasks(bytes) }
    }

    // MARK: Data

    /// `GET /api/alldata/GetDataOfTaskByTimeAndPaging` on the account's ``OctoparseAccount/byTimeBaseURL``:
    /// rows by storage time between `from` and `to`, both written `yyyy-MM-dd HH:mm:ss` in `zone` (the
    /// account's zone, whole seconds). Whether `to` is inclusive is undocumented.
    public func dataByTime(
        taskID: String,
        from: Date,
        to: Date,
        zone: UTCOffset,
        pageIndex: Int,
        pageSize: Int,
        token: String
    ) async throws(OctoparseError) -> OctoparsePage {
        try Self.checkPage(index: pageIndex, size: pageSize)
        return try await page(
            "/api/alldata/GetDataOfTaskByTimeAndPaging",
            base: account.byTimeBaseURL,
            [
                ("taskid", taskID), ("from", OctoparseTimeText.format(from, zone: zone)),
                ("to", OctoparseTimeText.format(to, zone: zone)), ("pageindex", String(pageIndex)),
                ("pagesize", String(pageSize)),
            ],
            token: token
        )
    }

    /// `GET /api/alldata`: every row of the task by 1-based page; `total` grows while a cloud run adds
    /// rows, so pages can shift.
    public func allData(
        taskID: String,
        pageIndex: Int,
        pageSize: Int,
        token: String
    ) async throws(OctoparseError) -> OctoparsePage {
        try Self.checkPage(index: pageIndex, size: pageSize)
        return try await page(
            "/api/alldata",
            [("taskid", taskID), ("pageindex", String(pageIndex)), ("pagesize", String(pageSize))],
            token: token
        )
    }

    /// `GET /api/alldata/GetLastDataOfTaskByPaging`: the rows of the task's most recent cloud run.
    public func lastRunData(
        taskID: String,
        pageIndex: Int,
        pageSize: Int,
        token: String
    ) async throws(OctoparseError) -> OctoparsePage {
        try Self.checkPage(index: pageIndex, size: pageSize)
        return try await page(
            "/api/alldata/GetLastDataOfTaskByPaging",
            [("taskid", taskID), ("pageindex", String(pageIndex)), ("pagesize", String(pageSize))],
            token: token
        )
    }

    /// `GET /api/alldata/GetDataOfTaskByOffset`: up to `size` rows after `offset` ("0" first); send back
    /// the page's ``OctoparsePage/offset`` (opaque) for the next page.
    public func dataByOffset(
        taskID: String,
        offset: String,
        size: Int,
        token: String
    ) async throws(OctoparseError) -> OctoparsePage {
        try Self.checkSize(size)
        return try await page(
            "/api/alldata/GetDataOfTaskByOffset",
            [("taskid", taskID), ("offset", offset), ("size", String(size))],
            token: token
        )
    }

    /// `GET /api/notexportdata`: the oldest unexported rows, **marked exported as they are returned** —
    /// an answer lost on the way loses its rows from this queue. Prefer ``notExportedTop(taskID:size:token:)``
    /// with ``markExported(taskID:size:token:)``.
    public func notExported(taskID: String, size: Int, token: String) async throws(OctoparseError) -> OctoparsePage {
        try Self.checkSize(size)
        return try await page("/api/notexportdata", [("taskid", taskID), ("size", String(size))], token: token)
    }

    /// `GET /api/notexportdata/gettop`: the oldest unexported rows, the same ones until
    /// ``markExported(taskID:size:token:)`` confirms them.
    public func notExportedTop(
        taskID: String,
        size: Int,
        token: String
    ) async throws(OctoparseError) -> OctoparsePage {
        try Self.checkSize(size)
        return try await page("/api/notexportdata/gettop", [("taskid", taskID), ("size", String(size))], token: token)
    }

    /// `POST /api/notexportdata/update?taskid&size`: confirms the rows the last `gettop` returned, so the
    /// next one moves on. Call it only once those rows are stored.
    public func markExported(taskID: String, size: Int, token: String) async throws(OctoparseError) {
        try Self.checkSize(size)
        let answer = try await send(
            .POST,
            "/api/notexportdata/update",
            query: [("taskid", taskID), ("size", String(size))],
            token: token
        )
        try answer.decode { bytes throws(OctoparseAnswerError) in
            try OctoparseDecoding.throwIfError(try OctoparseDecoding.json(bytes))
        }
    }

    private func page(
        _ path: String,
        base: String? = nil,
        _ query: [(String, String)],
        token: String
    ) async throws(OctoparseError) -> OctoparsePage {
        let answer = try await send(.GET, path, base: base, query: query, token: token)
        return try answer.decode { bytes throws(OctoparseAnswerError) in try OctoparseDecoding.page(bytes) }
    }

    // MARK: Parameters

    /// A page size outside 1–1000 is refused here, as the API would, without spending a request.
    static func checkSize(_ size: Int) throws(OctoparseError) {
        guard pageSizes.contains(size) else {
            throw .rejected(code: "export_pagesize_error", message: "size \(size) is outside 1...1000")
        }
    }

    static func checkPage(index: Int, size: Int) throws(OctoparseError) {
        try checkSize(size)
        guard index >= 1 else {
            throw .rejected(code: "invalid_request", message: "page index \(index) is below 1 (pages count from 1)")
        }
    }
}

extension OctoparseClient: CustomStringConvertible {
    /// Names the account only (never its password).
    public var description: String { "OctoparseClient(\(account))" }
}
