import Foundation
import HarvestCore
import HarvestSimulator
import NIOHTTP1
import Testing

private let auth = HTTP.basic("user", "pass1")

private func configuration(_ change: (inout OxylabsConfiguration) -> Void = { _ in }) -> SimulatorConfiguration {
    var configuration = SimulatorConfiguration()
    change(&configuration.oxylabs)
    return configuration
}

private func submit(_ base: String, _ body: String, batch: Bool = false) async throws -> HTTPExchange {
    try await HTTP.send(.POST, base + (batch ? "/v1/queries/batch" : "/v1/queries"), headers: [auth], body: body)
}

@Suite struct OxylabsSimulatorTests {
    @Test func basicAuthAnswersTheThreeDocumentedMessages() async throws {
        try await HarvestSimulator.withRunning(configuration()) { _, endpoints in
            let url = endpoints.oxylabsBaseURL + "/v1/queries/1"
            let cases: [([(String, String)], String)] = [
                ([], "Authorization header not provided"),
                ([("Authorization", "Bearer abc")], "Invalid authorization header"),
                ([("Authorization", "Basic !!!")], "Invalid authorization header"),
                ([HTTP.basic("user", "wrong")], "Client not found"),
            ]
            for (headers, message) in cases {
                let exchange = try await HTTP.send(.GET, url, headers: headers)
                #expect(exchange.status == 401)
                #expect(try exchange.field("message") == .string(message))
            }
        }
    }

    @Test func aSubmittedJobLooksLikeTheRealJobObject() async throws {
        let clock = ManualClock()
        try await HarvestSimulator.withRunning(configuration(), now: clock.source) { _, endpoints in
            let exchange = try await submit(
                endpoints.oxylabsBaseURL,
                #"{"source":"universal","url":"https://example.com/a","geo_location":"Germany","custom_x":7}"#
            )
            #expect((200..<300).contains(exchange.status))
            #expect(exchange.headers["x-ratelimit-jobs-limit"] == ["100"])
            #expect(exchange.headers["x-ratelimit-jobs-remaining"] == ["99"])
            let job = try exchange.json()
            let id = try #require(job["id"]?.string)
            #expect(id.count == 19 && id.allSatisfy(\.isNumber))
            #expect(job["status"] == .string("pending"))
            #expect(job["query"] == .string(""))
            #expect(job["geo_location"] == .string("Germany"))
            #expect(job["custom_x"] == .integer(7))
            let created = try #require(job["created_at"]?.string)
            #expect(created.count == 19 && created.dropFirst(10).first == " " && !created.contains("T"))
            if case .object(let members) = job { #expect(members.count >= 28) }
            let links = try #require(job["_links"]?.array)
            #expect(links.count == 9)
            #expect(
                links.allSatisfy { link in
                    (link["href"]?.string ?? link["href_list"]?[0]?.string ?? "").hasPrefix(
                        "http://data.oxylabs.io/v1/queries/\(id)"
                    )
                }
            )
            #expect(links.contains { $0["href_list"] != nil } && links.contains { $0["href"] != nil })
        }
    }

    @Test(arguments: [
        (#"{"url":"https://a.com"}"#, 400, "errors"),
        (#"{"source":"no_such_source","url":"https://a.com"}"#, 400, "errors"),
        (#"{"source":"universal"}"#, 400, "message"),
        (#"{"source":"universal","url":"notaurl"}"#, 400, "message"),
        (#"{"source":"universal","url":"https://a.com","render":"pdf"}"#, 400, "message"),
        (#"{"source":"google_search","url":"https://a.com"}"#, 400, "message"),
        (#"this is not json"#, 422, "message"),
        (#"["source"]"#, 422, "message"),
    ])
    func validationErrorsUseTheDocumentedShapes(body: String, status: Int, key: String) async throws {
        try await HarvestSimulator.withRunning(configuration()) { simulator, endpoints in
            let exchange = try await submit(endpoints.oxylabsBaseURL, body)
            #expect(exchange.status == status)
            let json = try exchange.json()
            #expect(key == "errors" ? json["errors"]?["message"]?.string != nil : json["message"]?.string != nil)
            #expect(simulator.oxylabs.truth().isEmpty)
        }
    }

    @Test func resultsAre204WhilePendingThenOneEntryPerTypeAndPage() async throws {
        let clock = ManualClock()
        try await HarvestSimulator.withRunning(configuration(), now: clock.source) { _, endpoints in
            let job = try await submit(
                endpoints.oxylabsBaseURL,
                #"{"source":"google_search","query":"red shoes","parse":true,"render":"png","pages":2}"#
            ).json()
            let id = try #require(job["id"]?.string)
            let results = endpoints.oxylabsBaseURL + "/v1/queries/\(id)/results?type=raw,parsed,png"
            let pending = try await HTTP.send(.GET, results, headers: [auth])
            #expect(pending.status == 204)
            #expect(pending.body.isEmpty)

            clock.advance(by: 3600)
            let status = try await HTTP.send(.GET, endpoints.oxylabsBaseURL + "/v1/queries/\(id)", headers: [auth])
                .json()
            #expect(status["status"] == .string("done"))
            let done = try await HTTP.send(.GET, results, headers: [auth])
            #expect(done.status == 200)
            let entries = try #require(try done.json()["results"]?.array)
            #expect(entries.count == 6)
            #expect(entries.map { $0["type"]?.string ?? "" } == ["raw", "raw", "parsed", "parsed", "png", "png"])
            #expect(entries.map { $0["page"]?.int ?? 0 } == [1, 2, 1, 2, 1, 2])
            #expect(entries[0]["content"]?.string?.contains("red shoes") == true)
            #expect(entries[2]["content"]?["parse_status_code"] == .integer(12000))
            let png = try #require(Data(base64Encoded: entries[4]["content"]?.string ?? ""))
            #expect(try PNGCheck.isValid(png))
            #expect(try done.json()["job"]?["id"] == .string(id))
        }
    }

    @Test func typesNotEnabledComeBackEmptyAndFaultedJobsGiveStubs() async throws {
        let clock = ManualClock()
        try await HarvestSimulator.withRunning(configuration { $0.faultedShare = 1 }, now: clock.source) {
            _,
            endpoints in
            let id = try #require(
                try await submit(endpoints.oxylabsBaseURL, #"{"source":"universal","url":"https://a.com"}"#).json()[
                    "id"
                ]?.string
            )
            clock.advance(by: 3600)
            let job = try await HTTP.send(.GET, endpoints.oxylabsBaseURL + "/v1/queries/\(id)", headers: [auth]).json()
            #expect(job["status"] == .string("faulted"))
            let results = try await HTTP.send(
                .GET,
                endpoints.oxylabsBaseURL + "/v1/queries/\(id)/results",
                headers: [auth]
            )
            #expect(results.status == 200)
            #expect(try results.json()["results"]?[0]?["content"] == .string(""))
        }
        try await HarvestSimulator.withRunning(configuration(), now: clock.source) { _, endpoints in
            let id = try #require(
                try await submit(endpoints.oxylabsBaseURL, #"{"source":"universal","url":"https://a.com"}"#).json()[
                    "id"
                ]?.string
            )
            clock.advance(by: 3600)
            let results = try await HTTP.send(
                .GET,
                endpoints.oxylabsBaseURL + "/v1/queries/\(id)/results?type=parsed,png",
                headers: [auth]
            ).json()
            #expect(results["results"]?.array?.map { $0["content"] } == [.string(""), .string("")])
        }
    }

    @Test func targetSiteStatusCodesCanBe404OnADoneJob() async throws {
        let clock = ManualClock()
        try await HarvestSimulator.withRunning(configuration { $0.notFoundShare = 1 }, now: clock.source) {
            _,
            endpoints in
            let id = try #require(
                try await submit(endpoints.oxylabsBaseURL, #"{"source":"universal","url":"https://a.com"}"#).json()[
                    "id"
                ]?.string
            )
            clock.advance(by: 3600)
            let results = try await HTTP.send(
                .GET,
                endpoints.oxylabsBaseURL + "/v1/queries/\(id)/results",
                headers: [auth]
            ).json()
            #expect(results["job"]?["status"] == .string("done"))
            #expect(results["results"]?[0]?["status_code"] == .integer(404))
        }
    }

    @Test func contentPagesComeWithoutTheWrapper() async throws {
        let clock = ManualClock()
        try await HarvestSimulator.withRunning(configuration(), now: clock.source) { _, endpoints in
            let id = try #require(
                try await submit(
                    endpoints.oxylabsBaseURL,
                    #"{"source":"universal","url":"https://a.com/x","render":"png","parse":true}"#
                )
                .json()["id"]?.string
            )
            let base = endpoints.oxylabsBaseURL + "/v1/queries/\(id)/results/1/content"
            #expect(try await HTTP.send(.GET, base, headers: [auth]).status == 204)
            clock.advance(by: 3600)
            let raw = try await HTTP.send(.GET, base, headers: [auth])
            #expect(raw.headers["content-type"].first?.hasPrefix("text/html") == true)
            #expect(raw.text.contains("https://a.com/x"))
            let parsed = try await HTTP.send(.GET, base + "?type=parsed", headers: [auth])
            #expect(try parsed.json()["parse_status_code"] == .integer(12000))
            let png = try await HTTP.send(.GET, base + "?type=png", headers: [auth])
            #expect(try PNGCheck.isValid(Data(png.body)))
            #expect(
                try await HTTP.send(
                    .GET,
                    endpoints.oxylabsBaseURL + "/v1/queries/\(id)/results/2/content",
                    headers: [auth]
                ).status == 404
            )
        }
    }

    @Test func batchesCreateOneJobPerValueUpTo5000() async throws {
        try await HarvestSimulator.withRunning(configuration()) { simulator, endpoints in
            let batch = try await submit(
                endpoints.oxylabsBaseURL,
                #"{"source":"amazon_product","query":["B01","B02","B03"],"parse":true}"#,
                batch: true
            )
            #expect(batch.status == 200)
            let jobs = try #require(try batch.json()["queries"]?.array)
            #expect(jobs.map { $0["query"]?.string } == ["B01", "B02", "B03"])
            #expect(Set(jobs.compactMap { $0["id"]?.string }).count == 3)
            let values = (0...5000).map { "\"q\($0)\"" }.joined(separator: ",")
            let tooBig = try await submit(
                endpoints.oxylabsBaseURL,
                #"{"source":"google_search","query":[\#(values)]}"#,
                batch: true
            )
            #expect(tooBig.status == 400)
            let single = try await submit(endpoints.oxylabsBaseURL, #"{"source":"google_search","query":["a"]}"#)
            #expect(single.status == 400)
            #expect(simulator.oxylabs.truth().count == 3)
        }
    }

    @Test func submissionsBeyondTheRateLimitGet429WithoutRetryAfter() async throws {
        let clock = ManualClock()
        try await HarvestSimulator.withRunning(configuration { $0.submissionsPerSecond = 5 }, now: clock.source) {
            _,
            endpoints in
            let body = #"{"source":"universal","url":"https://a.com"}"#
            for expected in [4, 3, 2, 1, 0] {
                let accepted = try await submit(endpoints.oxylabsBaseURL, body)
                #expect(accepted.headers["x-ratelimit-jobs-remaining"] == ["\(expected)"])
            }
            let refused = try await submit(endpoints.oxylabsBaseURL, body)
            #expect(refused.status == 429)
            #expect(refused.headers["retry-after"].isEmpty)
            #expect(refused.headers["x-ratelimit-jobs-limit"] == ["5"])
            clock.advance(by: 1)
            #expect(try await submit(endpoints.oxylabsBaseURL, body).status == 202)
            // A batch counts one per value: three values leave room for two more this second.
            clock.advance(by: 1)
            let batch = try await submit(
                endpoints.oxylabsBaseURL,
                #"{"source":"universal","url":["https://a.com","https://b.com","https://c.com"]}"#,
                batch: true
            )
            #expect(batch.headers["x-ratelimit-jobs-remaining"] == ["2"])
        }
    }

    @Test func jobsVanishAfterTheRetention() async throws {
        let clock = ManualClock()
        try await HarvestSimulator.withRunning(configuration { $0.retention = .seconds(60) }, now: clock.source) {
            _,
            endpoints in
            let id = try #require(
                try await submit(endpoints.oxylabsBaseURL, #"{"source":"universal","url":"https://a.com"}"#).json()[
                    "id"
                ]?.string
            )
            clock.advance(by: 30)
            #expect(
                try await HTTP.send(.GET, endpoints.oxylabsBaseURL + "/v1/queries/\(id)", headers: [auth]).status == 200
            )
            clock.advance(by: 3600)
            for path in ["", "/results", "/results/1/content"] {
                #expect(
                    try await HTTP.send(.GET, endpoints.oxylabsBaseURL + "/v1/queries/\(id)" + path, headers: [auth])
                        .status == 404
                )
            }
        }
    }

    @Test func theSameSeedGivesTheSameJobs() async throws {
        func run(seed: UInt64) async throws -> [String] {
            var configuration = configuration()
            configuration.seed = seed
            let clock = ManualClock()
            return try await HarvestSimulator.withRunning(configuration, now: clock.source) { simulator, endpoints in
                for index in 0..<5 {
                    _ = try await submit(
                        endpoints.oxylabsBaseURL,
                        #"{"source":"universal","url":"https://a.com/\#(index)"}"#
                    )
                }
                return simulator.oxylabs.truth().map { "\($0.id) \($0.finishesAt.timeIntervalSince($0.createdAt))" }
            }
        }
        let first = try await run(seed: 7)
        #expect(try await run(seed: 7) == first)
        #expect(try await run(seed: 8) != first)
    }

    @Test func callbackerIPsAndGroundTruth() async throws {
        let clock = ManualClock()
        try await HarvestSimulator.withRunning(configuration(), now: clock.source) { _, endpoints in
            let ips = try await HTTP.send(.GET, endpoints.oxylabsBaseURL + "/v1/info/callbacker_ips", headers: [auth])
                .json()
            #expect(ips["ips"]?.array?.contains(.string("127.0.0.1")) == true)
            let id = try #require(
                try await submit(
                    endpoints.oxylabsBaseURL,
                    #"{"source":"universal","url":"https://a.com","client_notes":"local-1"}"#
                ).json()["id"]?.string
            )
            for _ in 0..<3 {
                _ = try await HTTP.send(.GET, endpoints.oxylabsBaseURL + "/v1/queries/\(id)", headers: [auth])
            }
            let truth = try await HTTP.send(.GET, endpoints.oxylabsBaseURL + "/__sim/jobs").json()
            #expect(truth["jobs"]?[0]?["polls"] == .integer(3))
            #expect(truth["jobs"]?[0]?["client_notes"] == .string("local-1"))
            #expect(truth["jobs"]?[0]?["status"] == .string("pending"))
            let stats = try await HTTP.send(.GET, endpoints.oxylabsBaseURL + "/__sim/stats").json()
            #expect(stats["requests"]?["GET /v1/queries/{id}"] == .integer(3))
        }
    }
}

/// Checks a PNG independently of the fake's writer: signature, chunk lengths, CRCs, IHDR first, IEND last.
enum PNGCheck {
    static func isValid(_ data: Data) throws -> Bool {
        let bytes = [UInt8](data)
        guard bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return false }
        var index = 8
        var types: [String] = []
        while index + 12 <= bytes.count {
            let length =
                Int(bytes[index]) << 24 | Int(bytes[index + 1]) << 16 | Int(bytes[index + 2]) << 8
                | Int(bytes[index + 3])
            guard index + 12 + length <= bytes.count else { return false }
            let typeAndData = Array(bytes[(index + 4)..<(index + 8 + length)])
            let stored = bytes[(index + 8 + length)..<(index + 12 + length)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            guard crc32(typeAndData) == stored else { return false }
            types.append(String(decoding: typeAndData.prefix(4), as: UTF8.self))
            index += 12 + length
        }
        return index == bytes.count && types.first == "IHDR" && types.last == "IEND" && types.contains("IDAT")
    }

    /// CRC-32 from the PNG specification's sample code (table-driven).
    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        let table: [UInt32] = (0..<256).map { n in
            (0..<8).reduce(UInt32(n)) { c, _ in c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return ~bytes.reduce(UInt32(0xFFFF_FFFF)) { table[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
    }
}
