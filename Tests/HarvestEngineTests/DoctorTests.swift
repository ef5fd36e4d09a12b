import AsyncHTTPClient
import Foundation
import HarvestCore
import HarvestSimulator
import OxylabsAPI
import Testing

@testable import HarvestEngine

/// The doctor as a library: what the CLI end-to-end tests cannot reach in reasonable time (a test job
/// that stays pending past the deadline, one that faults), and its pure parts.
@Suite(.serialized) struct DoctorTests {
    private func runOxylabsOnly(
        _ change: (inout SimulatorConfiguration) -> Void,
        _ configure: @Sendable (inout DoctorConfiguration) -> Void = { _ in }
    ) async throws -> [DoctorCheck] {
        var simulator = SimulatorConfiguration()
        change(&simulator)
        return try await HarvestSimulator.withRunning(simulator) { _, endpoints in
            var configuration = DoctorConfiguration()
            configuration.oxylabs = OxylabsAccount(
                baseURL: endpoints.oxylabsBaseURL,
                username: "user",
                password: "pass1"
            )
            configuration.submitTestJob = true
            configuration.testJobFirstPoll = .milliseconds(20)
            configure(&configuration)
            let http = HTTPClient.harvest(retryingConnections: false)
            let checks = await Doctor(configuration: configuration, http: http).run()
            try await http.shutdown()
            return checks
        }
    }

    @Test func aTestJobStillPendingAtTheDeadlineIsAWarningNotAFailure() async throws {
        // An hour's latency against a deadline of half a second: pending whatever the machine's speed.
        let checks = try await runOxylabsOnly(
            { $0.oxylabs.latencyMedian = .seconds(3600) },
            { $0.testJobDeadline = .milliseconds(500) }
        )
        let job = try #require(checks.first { $0.check == "oxylabs.test_job" })
        #expect(job.status == .warn)
        #expect(job.detail.contains("still pending"), "\(job.detail)")
        #expect(DoctorCheck.exitStatus(checks) == 0)
        #expect(checks.contains { $0.check == "oxylabs.rate_headers" })
        #expect(!checks.contains { $0.check == "oxylabs.results_type" })
    }

    @Test func aFaultedTestJobIsAWarning() async throws {
        let checks = try await runOxylabsOnly {
            $0.oxylabs.faultedShare = 1
            $0.oxylabs.latencyMedian = .milliseconds(50)
        }
        let job = try #require(checks.first { $0.check == "oxylabs.test_job" })
        #expect(job.status == .warn)
        #expect(job.detail.contains("faulted"), "\(job.detail)")
    }

    @Test func whatTheDatabaseLearnedIsComparedWithWhatTheServerAnswersNow() {
        let learned = OctoparseReadings(
            toInclusive: true,
            total: .window,
            pageIndex: .page,
            zone: "storage times run …"
        )
        let agreeing = OctoparseDoctor.learnedChecks(learned, probed: learned, zone: .octoparseDefault)
        #expect(agreeing.map(\.status) == [.info, .warn])
        #expect(
            agreeing[0].detail.contains("`to` is inclusive; `total` counts the window; `pageindex` is a page number")
        )
        let probed = OctoparseReadings(toInclusive: false, total: .window, pageIndex: nil)
        let disagreeing = OctoparseDoctor.learnedChecks(learned, probed: probed, zone: .octoparseDefault)
        #expect(disagreeing[0].status == .warn)
        #expect(disagreeing[0].detail.contains("the server now answers otherwise for `to`"), "\(disagreeing[0].detail)")
    }

    @Test func oneLinePerCheckAndOnlyAFailureFails() {
        let checks = [
            DoctorCheck("octoparse.credentials", .ok, "accepted"), DoctorCheck("octoparse.timezone", .warn, "…"),
            DoctorCheck("octoparse.to", .info, "`to` is inclusive"),
        ]
        #expect(checks[0].line == "ok    octoparse.credentials       accepted")
        #expect(DoctorCheck.exitStatus(checks) == 0)
        #expect(DoctorCheck.exitStatus(checks + [DoctorCheck("oxylabs.dns", .fail, "…")]) == 1)
    }
}
