import Foundation
import HarvestCore
import HarvestSimulator
import NIOHTTP1
import Testing

/// The fake's switches for what the Oxylabs documents leave open (docs/ARCHITECTURE.md, "Every plausible reading").
@Suite struct OxylabsReadingsTests {
    private let auth = HTTP.basic("user", "pass1")

    private func configuration(_ change: (inout OxylabsConfiguration) -> Void) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        change(&configuration.oxylabs)
        return configuration
    }

    /// Submits one job and moves the clock past its end; returns its id.
    private func finishedJob(_ base: String, _ body: String, clock: ManualClock) async throws -> String {
        let exchange = try await HTTP.send(.POST, base + "/v1/queries", headers: [auth], body: body)
        clock.advance(by: 3600)
        return try #require(try exchange.field("id")?.string)
    }

    @Test func resultsCanOmitTheEntryTypeAndTheJob() async throws {
        let clock = ManualClock()
        let config = configuration {
            $0.resultsOmitType = true
            $0.resultsOmitJob = true
            $0.faultedShare = 1
        }
        try await HarvestSimulator.withRunning(config, now: clock.source) { _, endpoints in
            let base = endpoints.oxylabsBaseURL
            let id = try await finishedJob(
                base,
                #"{"source":"universal","url":"https://a.com","render":"png"}"#,
                clock: clock
            )
            let results = try await HTTP.send(.GET, base + "/v1/queries/\(id)/results?type=raw,png", headers: [auth])
            // A faulted job still answers 200, with stub content, and nothing says it faulted.
            #expect(results.status == 200)
            #expect(try results.field("job") == nil)
            let entries = try #require(try results.field("results")?.array)
            #expect(entries.count == 2)
            #expect(entries.allSatisfy { $0["type"] == nil && $0["content"] == .string("") })
            let status = try await HTTP.send(.GET, base + "/v1/queries/\(id)", headers: [auth])
            #expect(try status.field("status") == .string("faulted"))
        }
    }

    @Test(arguments: [
        (RateHeaderStyle.documented, ["x-ratelimit-jobs-limit", "x-ratelimit-jobs-remaining"]),
        (.standard, ["ratelimit-limit", "ratelimit-remaining"]),
        (.unknown, ["x-quota-jobs-per-second", "x-quota-jobs-left"]),
        (.none, []),
    ])
    func rateHeadersComeUnderTheNamesChosen(style: RateHeaderStyle, names: [String]) async throws {
        try await HarvestSimulator.withRunning(configuration { $0.rateHeaders = style }) { _, endpoints in
            let exchange = try await HTTP.send(
                .POST,
                endpoints.oxylabsBaseURL + "/v1/queries",
                headers: [auth],
                body: #"{"source":"universal","url":"https://a.com"}"#
            )
            #expect(exchange.status == 202)
            let rateHeaders = exchange.headers.map { $0.name.lowercased() }.filter {
                $0.contains("rate") || $0.contains("quota")
            }
            #expect(rateHeaders.sorted() == names.sorted())
        }
    }
}
